/** The roles one process can take (APP_ROLES=web,worker,scheduler). */
export type AppRole = 'web' | 'worker' | 'scheduler';
export const APP_ROLE_NAMES: readonly AppRole[] = ['web', 'worker', 'scheduler'];

/** DI token: this process's roles, for use cases that depend on what the process runs. */
export const APP_ROLE_LIST = Symbol('APP_ROLE_LIST');
