import { serviceEnv } from './test-env';

// Before any test file imports a Nest module: ConfigModule validates the environment on import.
Object.assign(process.env, serviceEnv());
