/**
 * Estimation of the intervals VEE leaves missing (or failed, where configured): a date-effective
 * policy per rate class or usage point names the methods in order (linear interpolation, like-day
 * history honouring a holiday calendar, class-profile scaling to register reads); each estimate is
 * a new version of the day marked estimated. Re-exports only.
 */
export * from './config.js';
export * from './method.js';
export * from './linear.js';
export * from './like-days.js';
export * from './class-profile.js';
export * from './estimate.js';
export * from './select.js';
export * from './run.js';
export * from './sweep.js';
