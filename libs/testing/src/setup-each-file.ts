import { emptyServiceTables } from './fresh-database';

// Each test file starts from empty tables (jest runs the files one after another, in band).
beforeAll(() => emptyServiceTables(), 30_000);
