/**
 * Unit tests of the extension's TypeScript (`jlpm test`): ts-jest compiles the sources and
 * the tests, jsdom stands in for the browser page the sidebar's model lives in.
 */
module.exports = {
  testEnvironment: 'jsdom',
  roots: ['<rootDir>/labextension/src'],
  testRegex: '/__tests__/.*\\.spec\\.tsx?$',
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }]
  },
  moduleFileExtensions: ['ts', 'tsx', 'js', 'json']
};
