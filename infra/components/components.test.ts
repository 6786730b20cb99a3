/**
 * Every component's cases (the `*.cases.ts` files beside each component) under ONE set of strict
 * mocks: @pulumi/* is imported once instead of once per file, which keeps the suite cheap on
 * 2 cores. installMocks() runs before any case imports a component.
 */
import { installMocks } from '../testing/mocks.js';
import { alertBridgeCases } from './alert-bridge.cases.js';
import { alertRelayCases } from './alert-relay.cases.js';
import { awsForensicsCases } from './aws-forensics.cases.js';
import { cloudflareBreakGlassCases } from './cloudflare-break-glass.cases.js';
import { evidenceStoreCases } from './evidence-store.cases.js';
import { incidentEnvironmentCases } from './incident-environment.cases.js';
import { responderRoleCases } from './responder-role.cases.js';
import { runCommandDocumentsCases } from './run-command-documents.cases.js';
import { tickSchedulerCases } from './tick-scheduler.cases.js';
import { wafBreakGlassCases } from './waf-break-glass.cases.js';

const mocks = installMocks();

wafBreakGlassCases(mocks);
cloudflareBreakGlassCases(mocks);
evidenceStoreCases(mocks);
responderRoleCases(mocks);
incidentEnvironmentCases(mocks);
awsForensicsCases(mocks);
runCommandDocumentsCases(mocks);
tickSchedulerCases(mocks);
alertBridgeCases(mocks);
alertRelayCases(mocks);
