import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a}from"./chunk-RNSQ5NRD.js";import"./chunk-5KZ4B7DB.js";export default a();
