export * from './bootstrap';
export * from './config';
export * from './health.controller';
export * from './logging';
export * from './messaging-runtime';
export * from './ping.controller';
export * from './service-kit.module';
export * from './tokens';
