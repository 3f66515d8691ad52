/**
 * What tests and benchmarks outside this service may use of it (the lint rule in
 * eslint.config.mjs allows nothing else): the module, its schema, a door fixture that writes an
 * event into the read model, and the arrival forecast the forecast benchmark measures.
 */
export { CheckinModule } from './src/checkin.module';
export { checkinDatabase } from './src/checkin.database';
export { DoorFixture } from './test/door-fixture';
export { DoorDevices } from './src/devices/door-devices';
export { learnedFrom, typicalCongressMornings } from './src/attendance/forecast/arrival-curve';
export { ArrivalForecaster } from './src/attendance/forecast/arrival-forecast';
export {
  generateMorning,
  perMinute,
  seededRandom,
  type MorningModel,
} from './src/attendance/forecast/generated-mornings';
