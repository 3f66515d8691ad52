import { randomUUID } from 'node:crypto';
import type { Category } from '@einlass/contracts';
import { type SortKey, selectionWhere, sortForPrinting } from './badge-selection';

const key = (
  lastName: string,
  firstName = 'A',
  organisation: string | null = null,
  category: Category = 'attendee',
): SortKey => ({ id: randomUUID(), lastName, firstName, organisation, category });

const lastNames = (keys: SortKey[]) => keys.map((k) => k.lastName);

describe('sortForPrinting', () => {
  it('sorts last names in German order: Ä with A, ß as ss, case aside', () => {
    const sorted = sortForPrinting(
      [
        'Zander',
        'Öztürk',
        'Ofen',
        'Abel',
        'Ärmel',
        'Arndt',
        'Strauß',
        'Strauss',
        'Straub',
        'müller',
        'Mueller',
      ].map((name) => key(name)),
      'lastName',
    );
    expect(lastNames(sorted)).toEqual([
      'Abel',
      'Ärmel',
      'Arndt',
      'Mueller',
      'müller',
      'Ofen',
      'Öztürk',
      'Straub',
      'Strauss',
      'Strauß',
      'Zander',
    ]);
  });

  it('breaks ties by first name, then keeps a fixed order', () => {
    const sorted = sortForPrinting([key('Schmidt', 'Ülrike'), key('Schmidt', 'Anna')], 'lastName');
    expect(sorted.map((k) => k.firstName)).toEqual(['Anna', 'Ülrike']);
  });

  it('sorts by organisation, those without one last, then by name', () => {
    const sorted = sortForPrinting(
      [
        key('B', 'x', null),
        key('Z', 'x', 'Ämter GmbH'),
        key('A', 'x', 'Zoll'),
        key('C', 'x', 'Amt'),
      ],
      'organisation',
    );
    expect(sorted.map((k) => k.organisation)).toEqual(['Amt', 'Ämter GmbH', 'Zoll', null]);
  });

  it('sorts by category in the order categories are listed, then by name', () => {
    const sorted = sortForPrinting(
      [
        key('B', 'x', null, 'press'),
        key('A', 'x', null, 'speaker'),
        key('C', 'x', null, 'attendee'),
      ],
      'category',
    );
    expect(sorted.map((k) => k.category)).toEqual(['attendee', 'speaker', 'press']);
  });
});

describe('selectionWhere', () => {
  it('narrows by every part of the filter, as parameters', () => {
    const { where, params } = selectionWhere({
      categories: ['speaker'],
      sessions: ['W01'],
      ids: ['00000000-0000-0000-0000-000000000000'],
      onlyUnprinted: true,
    });
    expect(where).toBe(
      `event_id = $1 AND status = 'issued' AND attendee->>'category' = ANY($2::text[]) AND ` +
        `attendee->'sessions' ?| $3::text[] AND id = ANY($4::uuid[]) AND printed_at IS NULL`,
    );
    expect(params).toEqual([['speaker'], ['W01'], ['00000000-0000-0000-0000-000000000000']]);
  });
});
