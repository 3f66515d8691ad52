import { emptyServiceTables } from './fresh-database';
import { removeEarlierFilesQueues } from './test-queues';

// Each test file starts from empty tables and without the queues of the files before it (jest
// runs the files one after another, in band).
beforeAll(() => Promise.all([emptyServiceTables(), removeEarlierFilesQueues()]), 30_000);
