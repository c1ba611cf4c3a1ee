export * from './env';
export * from './expect-eventually';
export * from './kafka';
export * from './service-process';
export * from './worker-process';
export * from './kafka-offsets';
export * from './apply-events';
export * from './pdf/read-pdf';
