import { once } from 'node:events';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JobFile } from './job-file';

describe('JobFile', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'job-file-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the file under its final name only once whole, and answers what the writer did', async () => {
    const { path, result } = await JobFile.write(dir, 'job-1', 'zip', async (out) => {
      out.write('first half, ');
      await once(out, 'ready');
      // Meanwhile only a temporary file of this run is there.
      expect(readdirSync(dir)).toEqual([expect.stringMatching(/^job-1\..+\.part$/)]);
      out.write('second half');
      return 2;
    });
    expect(path).toBe(join(dir, 'job-1.zip'));
    expect(result).toBe(2);
    expect(readdirSync(dir)).toEqual(['job-1.zip']);
    expect(readFileSync(path, 'utf8')).toBe('first half, second half');
  });

  it('leaves nothing behind, and no final file, when the writer gives up', async () => {
    await expect(
      JobFile.write(dir, 'job-2', 'pdf', (out) => {
        out.write('%PDF half a file');
        return Promise.reject(new Error('a badge disappeared'));
      }),
    ).rejects.toThrow('a badge disappeared');
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves nothing behind when the writer gives up before the file is even open', async () => {
    // The temporary file is opened while the writer runs; one that gives up at once must not
    // have it created after the clean-up (CI once found such a file left over).
    for (let run = 0; run < 200; run++) {
      await expect(
        JobFile.write(dir, `job-${run}`, 'pdf', (out) => {
          out.write('%PDF');
          return Promise.reject(new Error('nothing to print'));
        }),
      ).rejects.toThrow('nothing to print');
    }
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes the temporary files of killed runs of one job, not of others', async () => {
    writeFileSync(join(dir, 'job-3.aaaa.part'), 'killed run');
    writeFileSync(join(dir, 'job-3.pdf'), 'whole');
    writeFileSync(join(dir, 'job-4.bbbb.part'), 'another job, still running');
    await JobFile.removeLeftovers(dir, 'job-3');
    expect(readdirSync(dir).sort()).toEqual(['job-3.pdf', 'job-4.bbbb.part']);
  });
});
