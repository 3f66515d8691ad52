import { execFileSync } from 'node:child_process';
import { PNG } from 'pngjs';
import { decodeQrCodesInPdf, pdfText } from '@einlass/testing';
import { type CertificateContent, CertificateRenderer } from './certificate-renderer';

const base: CertificateContent = {
  language: 'de',
  holderName: 'Dr. Σοφία Παπαδοπούλου',
  eventName: 'Thüringer eGovernment-Kongress 2023',
  venue: 'Steigerwaldstadion Erfurt, Event-Arena',
  timezone: 'Europe/Berlin',
  startsAt: new Date('2023-10-24T06:00:00Z'),
  endsAt: new Date('2023-10-24T16:00:00Z'),
  sessions: [],
  issuer: 'Thüringer Landesrechenzentrum',
  issuedAt: new Date('2023-10-25T09:00:00Z'),
  logo: null,
  verifyUrl: `http://localhost:3003/verify?c=CERT1-${'A'.repeat(162)}`,
};

describe('CertificateRenderer', () => {
  it('prints the person, the event, the issuer and a QR code holding the /verify address', async () => {
    const pdf = await new CertificateRenderer().renderOne({
      ...base,
      sessions: [
        {
          code: 'K01',
          title: 'Eröffnung',
          startsAt: '2023-10-24T07:00:00Z',
          endsAt: '2023-10-24T07:45:00Z',
        },
      ],
    });
    const text = await pdfText(pdf);
    expect(text).toContain('Teilnahmebescheinigung');
    expect(text).toContain('Dr. Σοφία Παπαδοπούλου');
    expect(text).toContain('24.10.23, 09:00');
    expect(text).toContain('Ausgestellt von Thüringer Landesrechenzentrum');
    expect(text).toContain('Ausgestellt am 25. Oktober 2023');
    expect(await decodeQrCodesInPdf(pdf)).toEqual([base.verifyUrl]);
  });

  it('lists as many sessions as fit on the page and counts the rest, in English too', async () => {
    const sessions = Array.from({ length: 40 }, (_, i) => ({
      code: `T${i}`,
      title: `Session ${i}: a long title about the digitalisation of public administration in the federal states and their municipalities`,
      startsAt: new Date(Date.UTC(2023, 9, 24, 7, i)).toISOString(),
      endsAt: new Date(Date.UTC(2023, 9, 24, 8, i)).toISOString(),
    }));
    const pdf = await new CertificateRenderer().renderOne({ ...base, language: 'en', sessions });
    const text = await pdfText(pdf);
    expect(text).toContain('Certificate of attendance');
    expect(text).toMatch(/… and \d+ more/);
    const more = Number(/… and (\d+) more/.exec(text)?.[1]);
    expect(text).toContain(`Session ${39 - more}:`);
    expect(text).not.toContain(`Session ${40 - more}:`);
    // The foot and its QR code are not covered by the list.
    expect(await decodeQrCodesInPdf(pdf)).toEqual([base.verifyUrl]);
  });

  it('prints the event’s badge logo when it has one', async () => {
    const png = new PNG({ width: 120, height: 40, colorType: 2 });
    png.data.fill(0x80);
    const logo = PNG.sync.write(png, { colorType: 2 });
    const pdf = await new CertificateRenderer().renderOne({ ...base, logo });
    const images = execFileSync('pdfimages', ['-list', '-'], { input: pdf, encoding: 'utf8' });
    expect(images).toMatch(/^\s*1\s+\d+\s+image\s+120\s+40\b/m);
    expect(await decodeQrCodesInPdf(pdf)).toEqual([base.verifyUrl]);
  });
});
