/**
 * The contracts the server and the portal share (issue 18 item 22): types and constants only — no
 * runtime dependency, nothing Nest or React. The server's libraries import `@mekong/contracts`; the
 * portal imports this folder by path (its bundle takes the few constants, types vanish). A change
 * here breaks whichever side no longer matches, at build time.
 */
export * from './roles';
export * from './errors';
export * from './consultation';
export * from './notifications';
export * from './scheduling';
export * from './care';
export * from './econsult';
