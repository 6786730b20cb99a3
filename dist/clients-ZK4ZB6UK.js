import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h}from"./chunk-VCXGHVSX.js";import"./chunk-WJVDNEIM.js";import"./chunk-UPXYP5ZQ.js";import"./chunk-AOW3F5PO.js";export{d as DEFAULT_AWS_REGION,b as DEFAULT_CONNECT_TIMEOUT_MS,c as DEFAULT_GITHUB_API_URL,a as DEFAULT_REQUEST_TIMEOUT_MS,e as awsClientConfig,g as githubRepository,f as githubToken,h as nonEmpty};
