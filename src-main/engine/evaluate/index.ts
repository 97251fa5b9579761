/** The analytic model: per-tenant profile, NoC link loads, whole-deployment evaluation, bounds. */
export * from './profile-tenant';
export * from './link-load';
export * from './deployment';
export * from './bound';
