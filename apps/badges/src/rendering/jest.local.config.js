module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  rootDir: '.',
  moduleNameMapper: { '^@einlass/(.*)$': '<rootDir>/../../../../libs/$1/src' },
};
