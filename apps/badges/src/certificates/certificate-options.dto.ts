import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ATTENDANCE_RULES, type AttendanceRule } from './attended-sessions';
import { CERTIFICATE_JOB_FORMATS, type CertificateJobFormat } from './certificate-job.entity';
import { CERTIFICATE_LANGUAGES, type CertificateLanguage } from './certificate.entity';

/** POST /api/events/:slug/attendees/:id/certificate */
export class CertificateOptionsDto {
  @IsOptional()
  @IsIn(CERTIFICATE_LANGUAGES, {
    message: `language must be one of ${CERTIFICATE_LANGUAGES.join(', ')}`,
  })
  language?: CertificateLanguage;

  @IsOptional()
  @IsIn(ATTENDANCE_RULES, { message: `rule must be one of ${ATTENDANCE_RULES.join(', ')}` })
  rule?: AttendanceRule;

  /** The organiser named as issuer ("Ausgestellt von …"). */
  @IsOptional()
  @IsString()
  @MaxLength(200)
  issuer?: string;
}

/** POST /api/events/:slug/certificate-jobs */
export class CreateCertificateJobDto extends CertificateOptionsDto {
  @IsOptional()
  @IsIn(CERTIFICATE_JOB_FORMATS, {
    message: `format must be one of ${CERTIFICATE_JOB_FORMATS.join(', ')}`,
  })
  format?: CertificateJobFormat;
}
