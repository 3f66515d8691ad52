import { BadRequestException } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { parse } from 'csv-parse/sync';
import { SessionDto } from './session.dto';

/** Column names of `sessions.csv` and their field. */
const CSV_COLUMNS: Record<string, keyof SessionDto> = {
  code: 'code',
  title: 'title',
  room: 'room',
  starts: 'startsAt',
  startsat: 'startsAt',
  ends: 'endsAt',
  endsat: 'endsAt',
  capacity: 'capacity',
  kind: 'kind',
};

function messages(errors: ValidationError[]): string[] {
  return errors.flatMap((e) => Object.values(e.constraints ?? {}));
}

/**
 * Reads a programme from a JSON array or from CSV in the format of `sessions.csv`, and validates
 * every entry; any problem rejects the whole request with the entry (or line) and field named.
 */
export function readSessions(body: unknown): SessionDto[] {
  let rows: { where: string; value: unknown }[];
  if (Buffer.isBuffer(body) || typeof body === 'string') {
    rows = readCsv(body.toString().replace(/^\uFEFF/, ''));
  } else if (Array.isArray(body)) {
    rows = (body as unknown[]).map((value, index) => ({ where: `[${index}]`, value }));
  } else {
    throw new BadRequestException('Send a JSON array of sessions or a text/csv programme');
  }
  if (rows.length === 0) throw new BadRequestException('No sessions in the request');
  const problems: string[] = [];
  const sessions = rows.map(({ where, value }) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      problems.push(`${where}: must be an object`);
      return undefined;
    }
    const dto = plainToInstance(SessionDto, value);
    const errors = validateSync(dto, { whitelist: true, forbidNonWhitelisted: true });
    problems.push(...messages(errors).map((m) => `${where}: ${m}`));
    if (errors.length === 0 && new Date(dto.endsAt) <= new Date(dto.startsAt)) {
      problems.push(`${where}: endsAt must be after startsAt`);
    }
    return dto;
  });
  const seen = new Set<string>();
  for (const [index, session] of sessions.entries()) {
    if (!session) continue;
    if (seen.has(session.code))
      problems.push(`${rows[index].where}: code ${session.code} appears twice`);
    seen.add(session.code);
  }
  if (problems.length > 0) throw new BadRequestException(problems);
  return sessions as SessionDto[];
}

function readCsv(text: string): { where: string; value: unknown }[] {
  let records: string[][];
  try {
    records = parse(text, { skip_empty_lines: true, relax_column_count: true, trim: true });
  } catch (error) {
    throw new BadRequestException(`Not readable as CSV: ${(error as Error).message}`);
  }
  const [header, ...lines] = records;
  if (!header) throw new BadRequestException('The programme is empty');
  const fields = header.map((name) => CSV_COLUMNS[name.toLowerCase().replace(/[^a-z]/g, '')]);
  const missing = ['code', 'title', 'startsAt', 'endsAt', 'capacity', 'kind'].filter(
    (field) => !fields.includes(field as keyof SessionDto),
  );
  if (missing.length > 0) {
    throw new BadRequestException(`The programme lacks the columns: ${missing.join(', ')}`);
  }
  return lines.map((cells, index) => {
    const value: Record<string, string> = {};
    fields.forEach((field, column) => {
      if (field && cells[column] !== undefined && cells[column] !== '')
        value[field] = cells[column];
    });
    return { where: `line ${index + 2}`, value };
  });
}
