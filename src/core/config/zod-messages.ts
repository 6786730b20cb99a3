import { config } from 'zod/mini';
import en from 'zod/v4/locales/en.js';

/**
 * Schemas on an action's start-up path use `zod/mini` (`import * as z from 'zod/mini'`, always
 * as a namespace with static member access so esbuild drops what is unused). The classic API cost
 * ~50 ms of every action's start (bench/cold-start). Mini ships no messages: modules that PARSE
 * import this one for its side effect, so problems read "expected number, received string".
 */
config(en());
