export * from './secretStore';
