import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { bearer, startInProcess, TEST_ORGANISER_TOKEN, uniqueSlug } from '@einlass/testing';
import { configureRegistrationApp } from '../configure-app';
import { RegistrationModule } from '../registration.module';
import { SAMPLE_EVENT } from '../sample/sample-congress';

interface Listed {
  id: string;
  lastName: string;
  category: string;
  status: string;
  sessions: string[];
  waitlist: string[];
}
interface ListPage {
  items: Listed[];
  nextCursor: string | null;
  total: number;
}

/**
 * The attendee list's server-side filters (status, a workshop's confirmed places) and its total,
 * on a real database: what an organiser filtering a large event relies on.
 */
describe('attendee list: filters and total', () => {
  let app: NestFastifyApplication;
  const slug = uniqueSlug('list');
  const organiser = bearer(TEST_ORGANISER_TOKEN);

  const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, payload: payload as string, headers: organiser });
  const list = async (query: string): Promise<ListPage> => {
    const response = await call('GET', `/api/events/${slug}/attendees?${query}`);
    expect(response.statusCode).toBe(200);
    return response.json();
  };
  const names = (page: ListPage) => page.items.map((a) => a.lastName);
  /** Every page of a list, as the organisers' page reads it with "load more". */
  const allPages = async (query: string, limit: number) => {
    const pages: ListPage[] = [];
    let cursor: string | null = null;
    do {
      const page = await list(
        `${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
      );
      pages.push(page);
      cursor = page.nextCursor;
    } while (cursor && pages.length < 20);
    return pages;
  };

  // In name order. W1 has two places: Adler and Bauer hold them, Cramer and Dietz wait.
  const people: [lastName: string, category: string, sessions: string[]][] = [
    ['Adler', 'attendee', ['W1']],
    ['Bauer', 'speaker', ['W1']],
    ['Cramer', 'attendee', ['W1', 'W2']],
    ['Dietz', 'attendee', ['W1']],
    ['Engel', 'speaker', ['W2']],
    ['Fuchs', 'attendee', ['W2']],
    ['Graf', 'press', ['W2']],
    ['Hahn', 'attendee', []],
    ['Iske', 'attendee', []],
    ['Jung', 'speaker', []],
    ['Kraus', 'attendee', []],
    ['Lang', 'attendee', []],
  ];
  const cancelled = ['Jung', 'Kraus'];

  beforeAll(async () => {
    app = await startInProcess(RegistrationModule, configureRegistrationApp);
    expect((await call('POST', '/api/events', { ...SAMPLE_EVENT, slug })).statusCode).toBe(201);
    const at = { startsAt: SAMPLE_EVENT.startsAt, endsAt: SAMPLE_EVENT.endsAt, room: 'R1' };
    const programme = await call('POST', `/api/events/${slug}/sessions`, [
      { ...at, code: 'W1', title: 'Small workshop', capacity: 2, kind: 'workshop' },
      { ...at, code: 'W2', title: 'Large workshop', capacity: 10, kind: 'workshop' },
      { ...at, code: 'T1', title: 'A talk nobody chose', capacity: 100, kind: 'talk' },
    ]);
    expect(programme.statusCode).toBe(200);
    // One at a time: the order of sign-ups decides who gets W1's two places.
    for (const [lastName, category, sessions] of people) {
      const created = await call('POST', `/api/events/${slug}/attendees`, {
        firstName: 'Test',
        lastName,
        category,
        sessions,
      });
      expect(created.statusCode).toBe(201);
      if (cancelled.includes(lastName)) {
        const id = created.json().id;
        expect((await call('POST', `/api/events/${slug}/attendees/${id}/cancel`)).statusCode).toBe(
          200,
        );
      }
    }
  });

  afterAll(() => app.close());

  it('answers the total of the whole list, however short the page', async () => {
    const page = await list('limit=2');
    expect(names(page)).toEqual(['Adler', 'Bauer']);
    expect(page.total).toBe(people.length);
  });

  it('filters by status on the server, with the total of those matching', async () => {
    const gone = await list('status=cancelled');
    expect(names(gone)).toEqual(cancelled);
    expect(gone.total).toBe(2);
    const registered = await list('status=registered');
    expect(registered.items.every((a) => a.status === 'registered')).toBe(true);
    expect(names(registered)).not.toContain('Jung');
    expect(registered.total).toBe(people.length - cancelled.length);
  });

  it('filters by workshop: those holding a place, not those on its waiting list', async () => {
    const w1 = await list('session=W1');
    expect(names(w1)).toEqual(['Adler', 'Bauer']);
    expect(w1.total).toBe(2);
    // Cramer and Dietz signed up too, and wait: the list shows it, the filter leaves them out.
    const waiting = await list('q=dietz');
    expect(waiting.items[0].waitlist).toEqual(['W1']);
    expect(names(await list('session=W2'))).toEqual(['Cramer', 'Engel', 'Fuchs', 'Graf']);
  });

  it('answers an empty list for a session nobody holds a place in', async () => {
    expect(await list('session=T1')).toEqual({ items: [], nextCursor: null, total: 0 });
  });

  it('combines the filters, and the total follows them all', async () => {
    const speakersInW2 = await list('session=W2&category=speaker');
    expect(names(speakersInW2)).toEqual(['Engel']);
    expect(speakersInW2.total).toBe(1);
    const cancelledSpeakers = await list('status=cancelled&category=speaker');
    expect(names(cancelledSpeakers)).toEqual(['Jung']);
    expect(cancelledSpeakers.total).toBe(1);
    const search = await list('q=a&status=registered&session=W1');
    expect(names(search)).toEqual(['Adler', 'Bauer']);
    expect(search.total).toBe(2);
    expect(await list('q=nobody-is-called-this&status=registered')).toEqual({
      items: [],
      nextCursor: null,
      total: 0,
    });
  });

  it.each([
    ['status=registered', 10],
    ['session=W2', 4],
    ['status=registered&category=attendee', 7],
    ['q=r', 5],
    ['q=r&status=registered', 4],
  ])(
    'pages through %s: every match exactly once, in name order, the same total on every page',
    async (query, expected) => {
      const pages = await allPages(query, 3);
      const seen = pages.flatMap(names);
      expect(seen).toHaveLength(expected);
      expect(new Set(seen).size).toBe(expected);
      expect(seen).toEqual([...seen].sort());
      expect(seen).toEqual(names(await list(`${query}&limit=500`)));
      expect(pages.map((p) => p.total)).toEqual(pages.map(() => expected));
      expect(pages[pages.length - 1].nextCursor).toBeNull();
    },
  );

  it.each([
    ['an unknown status', 'status=vip', 'status must be one of registered, cancelled'],
    ['a session code the event does not have', 'session=W99', 'W99'],
    ['an empty session code', 'session=', 'session must be a session code'],
    ['a cursor it never gave out', 'status=cancelled&cursor=bm9wZQ', 'cursor is not a cursor'],
  ])('refuses %s with a 400 that says what is wrong', async (_, query, says) => {
    const response = await call('GET', `/api/events/${slug}/attendees?${query}`);
    expect(response.statusCode).toBe(400);
    expect(JSON.stringify(response.json().message)).toContain(says);
  });

  it('answers a cursor past the last match with no one and the total as it is now', async () => {
    const first = await list('q=r&status=registered&limit=3');
    expect(names(first)).toEqual(['Adler', 'Bauer', 'Cramer']);
    expect(first.total).toBe(4);
    // Graf, the last match, is renamed before the organiser loads more.
    const graf = (await list('q=graf')).items[0];
    const renamed = await app.inject({
      method: 'PATCH',
      url: `/api/events/${slug}/attendees/${graf.id}`,
      payload: { lastName: 'Gamm' },
      headers: organiser,
    });
    expect(renamed.statusCode).toBe(200);
    const more = await list(
      `q=r&status=registered&limit=3&cursor=${encodeURIComponent(first.nextCursor!)}`,
    );
    expect(more).toEqual({ items: [], nextCursor: null, total: 3 });
  });
});
