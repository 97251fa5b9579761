export * from './reop';
export * from './profile-tenant';
export * from './link-load';
