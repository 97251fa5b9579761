export * from './reop';
export * from './profile-tenant';
