export * from './data-source';
export * from './service-roles';
