/** Attendance certificates (docs/API.md, "Attendance certificates"). */

import type { FileJobView } from './file-jobs';

export const CERTIFICATE_LANGUAGES = ['de', 'en'] as const;
export type CertificateLanguage = (typeof CERTIFICATE_LANGUAGES)[number];

/**
 * Which sessions a certificate lists for sessions without a door list: `door_lists`, only those
 * the person was admitted to; `talks_on_days_entered`, also every talk nobody was scanned into
 * on a day the person was admitted anywhere.
 */
export const ATTENDANCE_RULES = ['door_lists', 'talks_on_days_entered'] as const;
export type AttendanceRule = (typeof ATTENDANCE_RULES)[number];

/** One PDF with a page per person, or a ZIP of one PDF per person. */
export const CERTIFICATE_JOB_FORMATS = ['pdf', 'zip'] as const;
export type CertificateJobFormat = (typeof CERTIFICATE_JOB_FORMATS)[number];

/** GET /api/certificate-jobs/:id */
export interface CertificateJobView extends FileJobView {
  format: CertificateJobFormat;
  language: CertificateLanguage;
  rule: AttendanceRule;
}

/** GET /api/certificates/verify: genuine (no personal data beyond the name), or why not. */
export type CertificateCheck =
  | {
      genuine: true;
      /** `timezone`: the event's, for showing its dates and the issue date. */
      event: {
        name: string;
        startsAt: string;
        endsAt: string;
        venue: string | null;
        timezone: string;
      };
      name: string;
      sessionsAttended: number;
      issuedAt: string;
    }
  | {
      genuine: false;
      reason: 'malformed' | 'tampered' | 'unknown' | 'revoked';
      message: string;
    };
