import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{b as ve}from"./chunk-LUIP3DBQ.js";import{a as L,b as _,c as Te}from"./chunk-FQVGMO2V.js";import{c as Se,d as ee,e as te,f as ke}from"./chunk-KFW2WLBF.js";import{Aa as we,za as z}from"./chunk-C525WURN.js";import{a as ge}from"./chunk-VZPQFNVK.js";import"./chunk-XGYWI7NI.js";import"./chunk-XGYUXBK3.js";import"./chunk-XC6ZU2BT.js";import"./chunk-CUMWV45G.js";import{e as G}from"./chunk-VCXGHVSX.js";import"./chunk-TJPCLXV7.js";import"./chunk-WA2NONOB.js";import"./chunk-INOZV5H7.js";import"./chunk-VZQNJJSH.js";import"./chunk-GNX4SFRO.js";import"./chunk-3UMSTISL.js";import"./chunk-536AY2EV.js";import"./chunk-KT6TH4VM.js";import{c as $e}from"./chunk-R2MWNJ4J.js";import{a as M}from"./chunk-X767MZ2I.js";import{b as D,c as Q,e as X}from"./chunk-I57XUC3N.js";import"./chunk-7OBCNU33.js";import"./chunk-T4W436O5.js";import"./chunk-NMREFGVI.js";import"./chunk-WSMI233X.js";import"./chunk-6CMMTLNS.js";import"./chunk-EE7OPT2A.js";import"./chunk-GDTTTRSM.js";import"./chunk-IAWZ352X.js";import"./chunk-TWBQTQ3I.js";import"./chunk-HITXA4XO.js";import"./chunk-L7OUZKFC.js";import"./chunk-JYADZVUW.js";import"./chunk-SOVI5EZS.js";import"./chunk-754JRTNX.js";import"./chunk-I4OFNPDW.js";import"./chunk-YFZZ5MAH.js";import"./chunk-A6MGVYPX.js";import"./chunk-44GH2OX3.js";import"./chunk-FQAKKL2F.js";import"./chunk-BZD4IHEB.js";import"./chunk-ZQA5KS74.js";import"./chunk-4V7WRFP2.js";import"./chunk-YOV5IDIF.js";import"./chunk-3T3UTGZ5.js";import"./chunk-2TDKHSFC.js";import"./chunk-K42BHJWI.js";import"./chunk-CXNTQO7N.js";import"./chunk-NOAA5JPJ.js";import"./chunk-P5TUBD2V.js";import"./chunk-EAW3LLUH.js";import"./chunk-7IXW3L6G.js";import"./chunk-PFWTRD5R.js";import"./chunk-5N7HVCTO.js";import"./chunk-E5CDK4LH.js";import"./chunk-MCGNFP4L.js";import"./chunk-W5QF2SUP.js";import"./chunk-4FCJPWUT.js";import"./chunk-AEEGBA7Y.js";import"./chunk-XJ7YEIG3.js";import"./chunk-AFWIOJQN.js";import"./chunk-JMXYHDKA.js";import"./chunk-CJIQR72X.js";import"./chunk-GC3C3ZTN.js";import{a as me}from"./chunk-PPHJMTLI.js";import{a as ye,b as be,c as Z}from"./chunk-NRJ6NSH3.js";import"./chunk-EETECOK5.js";import"./chunk-65J4K53D.js";import{a as fe}from"./chunk-TIYN3ZK6.js";import{a as he}from"./chunk-4SLSDNCN.js";import"./chunk-UCZGMGD5.js";import{a as ue}from"./chunk-2F3AR5WW.js";import{a as V,b as pe}from"./chunk-SWCINHEV.js";import"./chunk-W6UBPK2W.js";import"./chunk-PTUXZDKB.js";import{b as ce,c as de}from"./chunk-6K6DGVPA.js";import"./chunk-EM7ZOBKN.js";import{a as P}from"./chunk-WJVDNEIM.js";import{c as R,d as v,g as le,i as q}from"./chunk-UPXYP5ZQ.js";import{a as l}from"./chunk-AOW3F5PO.js";import{randomUUID as nt}from"node:crypto";import{appendFile as se,mkdir as Le,readFile as oe,readdir as it,writeFile as Ue}from"node:fs/promises";import{dirname as Be,join as He,resolve as T}from"node:path";var U={maxMatrixJobs:256};function Ee(e,r){if(r.maxShards<1||r.batchSize<1)throw new RangeError("batchSize and maxShards must be at least 1");let t=U.maxMatrixJobs*r.maxShards,n=Math.max(r.batchSize,Math.ceil(e.length/t)),i=[];for(let a=0;a<e.length;a+=n)i.push({id:`b${String(i.length+1).padStart(3,"0")}`,targets:e.slice(a,a+n)});let o=Array.from({length:r.maxShards},()=>({include:[]}));return i.forEach((a,s)=>o[Math.floor(s/U.maxMatrixJobs)].include.push({batch:a.id,targets:a.targets.join(",")})),{batchSize:n,shards:o}}l(Ee,"fleetMatrix");function Fe(e,r){return Math.max(1,Math.ceil(Math.ceil(e/r)/U.maxMatrixJobs))}l(Fe,"shardsFor");var B=new Set(["applied","noop"]);function C(e,r){let t=new Set(e),n=new Map;for(let i of r)t.has(i.target)&&n.set(i.target,i);return e.map(i=>n.get(i)??{target:i,status:"missing",changes:0,applied:0,failed:0,reason:"no result: its batch did not run, was cancelled, or its result artifact is missing"})}l(C,"completeOutcomes");function Re(e){return C(e.planned,e.outcomes).filter(r=>!B.has(r.status)).map(r=>r.target)}l(Re,"targetsToRetry");function K(e,r){let t;try{t=JSON.parse(e)}catch(i){throw new v(`${r} is not a fleet run ledger: ${i.message}`,[])}let n=t;if(n?.v!==1||typeof n.capability!="string"||!Array.isArray(n.planned)||!Array.isArray(n.outcomes))throw new v(`${r} is not a fleet run ledger (v 1 with capability, planned, outcomes)`,[],{hint:"Pass the ledger a fleet run wrote (.firebreak/fleet/<run>.json or the fleet-ledger artifact)."});return n}l(K,"parseFleetLedger");function H(e){if(e.length>0&&e.every(t=>t.status==="planned"))return"planned";let r=e.filter(t=>!B.has(t.status)).length;return r===0?e.some(t=>t.status==="applied")?"ok":"noop":r===e.length?"failed":"partial"}l(H,"fleetStatus");function J(e,r){let t=C(e.planned,e.outcomes),n=H(t);return{v:he,time:r.time,incidentId:r.incidentId,actor:r.actor,runUrl:r.runUrl,step:`fleet:${e.capability}`,status:n==="ok"?"applied":n,dryRun:r.dryRun,input:{selection:e.selection,targets:e.planned,runId:e.runId},plan:null,result:{status:n,targets:t},error:n==="partial"||n==="failed"?{code:"FLEET_PARTIAL",message:ze(t)}:null}}l(J,"parentAuditRecord");function ze(e){let r=e.filter(t=>!B.has(t.status)&&t.status!=="planned");return`${r.length} of ${e.length} target(s) not applied: ${r.map(t=>t.target).join(", ")}`}l(ze,"failedLine");function re(e,r){let t=C(e.planned,e.outcomes),n=H(t),i=l(d=>B.has(d.status)||d.status==="planned"?1:0,"rank"),o=[...t].sort((d,p)=>i(d)-i(p)||d.target.localeCompare(p.target)),a=l(d=>d.replace(/\|/g,"\\|").replace(/\r?\n/g," "),"cell"),s=[`## ${r}: ${n} (${t.length} target(s))`,"","| target | status | changes | applied | failed | audit | reason |","| --- | --- | --- | --- | --- | --- | --- |",...o.map(d=>`| ${d.target} | ${d.status} | ${d.changes} | ${d.applied} | ${d.failed} | ${d.audit?`\`${d.audit.hash.slice(0,12)}\``:""} | ${a(d.reason??"")} |`)],c=t.filter(d=>!B.has(d.status)&&d.status!=="planned");return c.length&&s.push("",`Not applied: ${c.map(d=>d.target).join(", ")}. Re-run with \`--retry-failed\` on this run's ledger: only these targets are acted on.`),`${s.join(`
`)}
`}l(re,"renderFleetSummary");function xe(e){return e.provider==="aws"?`aws/${e.account}/${e.region}`:e.provider==="cloudflare"?`cloudflare/${e.account}`:`github/${e.repository}${e.environment?`/${e.environment}`:""}`}l(xe,"targetId");function Ie(e){let r=new Map;for(let t of e){let n=xe(t),i=r.get(n);if(i&&JSON.stringify({...i,id:void 0,limitKey:void 0,tags:[]})!==JSON.stringify({...t,id:void 0,limitKey:void 0,tags:[]}))throw new v(`fleet target ${n} is declared twice with different settings`,[],{hint:"Keep one entry per target: the generated targets_file, or firebreak.yml fleet.targets, not both."});let o=[...new Set([...i?.tags??[],...t.tags])].sort();r.set(n,{...t,tags:o,id:n,limitKey:De(t)})}return[...r.values()].sort((t,n)=>t.id.localeCompare(n.id))}l(Ie,"fleetTargets");function De(e){return e.provider==="aws"?`aws/${e.account}/${e.waf?.scope==="CLOUDFRONT"?"us-east-1":e.region}`:xe(e)}l(De,"limitKeyOf");function Ae(e,r,t){let n=e.split(",").map(a=>a.trim()).filter(Boolean);if(n.length===0)throw new R("targets is empty: name a set (e.g. prod), tag:<tag> or all",{field:"targets",code:"TARGETS_EMPTY"});let i=new Set,o=l((a,s)=>{let[c,d]=Ke(a),p;if(c==="all")p=r;else if(c==="tag")p=r.filter(f=>f.tags.includes(d));else if(c==="id")p=r.filter(f=>f.id===d);else if(c==="provider")p=r.filter(f=>f.provider===d);else{let f=Object.hasOwn(t,a)?t[a]:void 0;if(!f)throw new R(`targets: ${JSON.stringify(a)} is not a fleet set or selector`,{field:"targets",code:"TARGETS_UNKNOWN",hint:`Sets in firebreak.yml: ${Object.keys(t).join(", ")||"(none)"}; selectors: tag:<tag>, id:<target id>, provider:<name>, all.`});for(let S of f)o(S,a);return}if(p.length===0)throw new R(`targets: ${a}${s?` (in set ${s})`:""} matches no fleet target`,{field:"targets",code:"TARGETS_NONE_MATCH",hint:`Known targets: ${r.slice(0,5).map(f=>f.id).join(", ")}${r.length>5?", …":""}`});for(let f of p)i.add(f.id)},"expand");for(let a of n)o(a,"");return r.filter(a=>i.has(a.id))}l(Ae,"selectTargets");function Ke(e){if(e==="all")return["all",""];let r=e.indexOf(":");return r<0?["set",e]:[e.slice(0,r),e.slice(r+1)]}l(Ke,"splitSelector");async function Oe(e,r,t){if(!Number.isInteger(r)||r<1)throw new RangeError(`concurrency must be a positive integer, got ${r}`);let n=new Array(e.length),i=0,o=l(async()=>{for(;i<e.length;){let a=i++;try{n[a]={status:"fulfilled",value:await t(e[a],a)}}catch(s){n[a]={status:"rejected",reason:s}}}},"worker");return await Promise.all(Array.from({length:Math.min(r,e.length)},o)),n}l(Oe,"mapBounded");var W=class{constructor(r){this.opts=r;if(!(r.ratePerSecond>0)||!(r.burst>=1))throw new RangeError("ratePerSecond must be > 0 and burst >= 1")}opts;static{l(this,"KeyedTokenBucket")}buckets=new Map;async take(r){let t=this.opts.clock.now().getTime(),n=this.buckets.get(r)??{tokens:this.opts.burst,at:t},o=Math.min(this.opts.burst,n.tokens+(t-n.at)/1e3*this.opts.ratePerSecond)-1;if(this.buckets.set(r,{tokens:o,at:t}),o>=0)return 0;let a=Math.ceil(-o/this.opts.ratePerSecond*1e3);return await this.opts.sleep(a),a}};var ne={waf:{writesPerSecond:1,burst:1}};var Y=class{constructor(r,t,n,i){this.env=r;this.sessionName=t;this.timeoutMs=n;this.requestHandler=i}env;sessionName;timeoutMs;requestHandler;static{l(this,"FleetAwsSessions")}cache=new Map;clients=new Map;credentials(r,t=this.env){let n=t[P.awsEndpoint]??"",i=`${n} ${r}`,o=this.cache.get(i);return o||(o=this.assume(r,this.client(n,t)),o.catch(()=>this.cache.delete(i)),this.cache.set(i,o)),o}client(r,t){let n=this.clients.get(r);return n||(n=new z(G(t,{...this.timeoutMs===void 0?{}:{timeoutMs:this.timeoutMs},sharedRequestHandler:this.requestHandler})),this.clients.set(r,n)),n}async assume(r,t){try{let i=(await t.send(new we({RoleArn:r,RoleSessionName:this.sessionName.slice(0,64),DurationSeconds:3600}))).Credentials;if(!i?.AccessKeyId||!i.SecretAccessKey||!i.SessionToken)throw new Error("STS returned no credentials");return{accessKeyId:i.AccessKeyId,secretAccessKey:i.SecretAccessKey,sessionToken:i.SessionToken}}catch(n){throw new le(`cannot assume ${r}: ${n.message}`,{provider:"aws",operation:"sts:AssumeRole",retryable:!1,code:"FLEET_ASSUME_FAILED",hint:"Deploy the kit's fleet-member role in that account (infra/components/fleet-member-role.ts) trusting the responder role."})}}destroy(){if(!this.requestHandler)for(let r of this.clients.values())r.destroy()}};function Je(e){let r=new Set(Object.values(ue));return Object.fromEntries(Object.entries(e).filter(([t])=>!r.has(t)))}l(Je,"fleetBaseEnv");function We(e,r){return new W({ratePerSecond:ne.waf.writesPerSecond,burst:ne.waf.burst,clock:e,sleep:r})}l(We,"writeLimiter");async function _e(e){e.capability.validate?.(e.raw);let r=e.writes??We(e.clock,e.sleep),t=Je(e.env),n=e.concurrency??e.config.fleet.concurrency,i=G(t,e.timeoutMs===void 0?{}:{timeoutMs:e.timeoutMs}),o={keepAlive:!0,maxSockets:Math.max(50,n*2)},a=new z({...i,requestHandler:{...i.requestHandler,httpAgent:o,httpsAgent:o}}),s=a.config.requestHandler,c=new Y(t,`firebreak-fleet-${e.runId}`,e.timeoutMs,s),d=new Map,p=e.targets.filter(f=>e.capability.providers.includes(f.provider));try{let S=(await Oe(p,n,async u=>{let E=new ie(e.audit),A=ye({audit:E,clock:e.clock,sleep:e.sleep,logger:Ye(e.logger,u.id),actor:e.actor,incidentId:e.incidentId,runUrl:e.runUrl,dryRun:e.dryRun,overrides:e.overrides??[],...e.redactor?{redactor:e.redactor}:{}}),N={...t,...e.envFor?.(u)??{}},y;try{if(u.provider==="aws"){y=await c.credentials(u.role_arn,N);for(let g of[y.secretAccessKey,y.sessionToken])A.redactor.register(g),e.redactor?.register(g)}}catch(g){return{target:u.id,status:"failed",changes:0,applied:0,failed:0,reason:g.message}}let I=e.capability.ports({target:u,env:N,config:e.config,aws:y,writes:r,sleep:e.sleep,clock:e.clock,timeoutMs:e.timeoutMs,awsRequestHandler:s});try{let g=await be(e.capability.step,e.capability.input(e.raw,u),I,A),h=g.result?.outcomes??[];d.set(u.id,h);let b=g.plan?.changes.length??0;return{target:u.id,status:e.dryRun?"planned":g.result?.status==="ok"?"applied":"noop",changes:b,applied:h.filter($=>$.status==="applied").length,failed:0,audit:{chain:e.auditChain,seq:g.entry.seq,hash:g.entry.hash}}}catch(g){let b=(g instanceof q?g.result:void 0)?.outcomes??[];d.set(u.id,b);let $=g.exit==="guard"||g.exit==="input";return{target:u.id,status:$?"refused":"failed",changes:b.filter(F=>F.status!=="already").length,applied:b.filter(F=>F.status==="applied").length,failed:b.filter(F=>F.status==="failed").length,reason:A.redactor.scrub(g.message??String(g)),audit:E.last?{chain:e.auditChain,seq:E.last.seq,hash:E.last.hash}:void 0}}finally{e.capability.release?.(I)}})).map((u,E)=>u.status==="fulfilled"?u.value:{target:p[E].id,status:"failed",changes:0,applied:0,failed:0,reason:String(u.reason?.message??u.reason)}),x={v:1,capability:e.capability.slug,runId:e.runId,selection:e.selection,planned:p.map(u=>u.id),outcomes:S},m;if(e.parent!==!1){let u=await e.audit.append(J(x,{time:e.clock.now().toISOString(),actor:e.actor,incidentId:e.incidentId,runUrl:e.runUrl,dryRun:e.dryRun}));m={seq:u.seq,hash:u.hash}}return{ledger:x,details:d,parent:m}}finally{c.destroy(),a.destroy()}}l(_e,"runFleet");var ie=class{constructor(r){this.inner=r}inner;static{l(this,"RememberingSink")}last;async append(r){return this.last=await this.inner.append(r),this.last}};function Ye(e,r){return{info:l(t=>e.info(`[${r}] ${t}`),"info"),warn:l(t=>e.warn(`[${r}] ${t}`),"warn"),error:l(t=>e.error(`[${r}] ${t}`),"error"),debug:l(t=>e.debug(`[${r}] ${t}`),"debug")}}l(Ye,"prefixed");import{readFile as Ve}from"node:fs/promises";import{dirname as Ze,resolve as Qe}from"node:path";async function Ce(e,r){let t=[...e.fleet.targets],n=e.fleet.targets_file;if(n){let i=Qe(Ze(r),n),o;try{o=await Ve(i,"utf8")}catch(c){throw new v(`fleet.targets_file ${n}: ${c.code==="ENOENT"?"file not found":c.message}`,[],{hint:"Generate it from the kit's stacks: `pulumi stack output` per stack via infra/fleet-targets.ts (docs/operators/fleet.md)."})}let a;try{a=JSON.parse(o)}catch(c){throw new v(`fleet.targets_file ${n} is not JSON: ${c.message}`,[])}let s=ge.safeParse(a);if(!s.success){let c=s.error.issues.map(d=>({file:n,line:0,column:0,field:d.path.join("."),message:d.message}));throw new v(`fleet.targets_file ${n}: ${c.length} problem(s): ${c.map(d=>`${d.field}: ${d.message}`).join("; ")}`,c)}t.push(...s.data.targets)}if(t.length===0)throw new v("no fleet targets: set fleet.targets_file or fleet.targets in firebreak.yml",[],{hint:"docs/operators/fleet.md shows both."});return Ie(t)}l(Ce,"loadFleetTargets");var k={checkout:"actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",awsCredentials:"aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3",upload:"actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0",download:"actions/download-artifact@fa0a91b85d4f404e444e00e005971372dc801d16 # v4.1.8"};function Xe(e){return Fe(e.maxTargets,e.batchSize)}l(Xe,"fleetShardCount");function Ne(e){let r=tt(e.slug),t=Xe(e),n=e.timeoutMinutes??30,i=Array.from({length:t},(a,s)=>et(e,r,s+1,n)).join(`
`),o=["plan",...Array.from({length:t},(a,s)=>`apply-${s+1}`)];return`# Generated by \`npm run generate\` (src/fleet/workflow.ts; \`firebreak fleet workflow ${e.slug}\` prints it for another fleet size): do not edit by hand.
# ${e.slug} across a fleet (firebreak.yml \`fleet:\`): one plan, one approval, batched apply, one summary.
# Serves up to ${e.maxTargets} targets in batches of ${e.batchSize} (${t} apply job(s) of at most ${U.maxMatrixJobs} matrix jobs).
# Limits and environments: docs/operators/fleet.md
name: fleet-${e.slug}

on:
  workflow_dispatch:
    inputs:
${rt(r)}

permissions: {}

jobs:
  plan:
    runs-on: ubuntu-24.04
    timeout-minutes: ${n}
    # Reads every target (dry run): nothing changes before the gate. Same environment as apply.
    environment: \${{ inputs.environment }}-fleet
    concurrency:
      group: firebreak-fleet-${e.slug}-plan-\${{ inputs.environment }}
      cancel-in-progress: false
    permissions:
      contents: read
      id-token: write
      actions: read
    outputs:
${Array.from({length:t},(a,s)=>`      matrix-${s+1}: \${{ steps.plan.outputs.matrix-${s+1} }}
      count-${s+1}: \${{ steps.plan.outputs.count-${s+1} }}`).join(`
`)}
    steps:
      - uses: ${k.checkout}
        with:
          persist-credentials: false
      - uses: ${k.awsCredentials}
        with:
          role-to-assume: \${{ vars.FIREBREAK_RESPONDER_ROLE_ARN }}
          aws-region: \${{ vars.FIREBREAK_AWS_REGION }}
          role-session-name: firebreak-fleet-plan-\${{ github.run_id }}
      - name: Ledger of the run being retried
        if: inputs.retry-failed-run != ''
        uses: ${k.download}
        with:
          name: firebreak-fleet-ledger-\${{ inputs.retry-failed-run }}
          path: .firebreak/fleet/retry
          run-id: \${{ inputs.retry-failed-run }}
          github-token: \${{ github.token }}
      - name: Plan every target
        id: plan
${Me(r,`--retry-failed-dir .firebreak/fleet/retry --batch-size ${e.batchSize} --shards ${t} --matrix-out "$GITHUB_OUTPUT" --ledger-out .firebreak/fleet/plan.json --summary-out "$GITHUB_STEP_SUMMARY"`,{})}
      - uses: ${k.upload}
        if: always()
        with:
          name: firebreak-fleet-plan-\${{ github.run_id }}
          path: .firebreak/
          include-hidden-files: true
          if-no-files-found: warn
          retention-days: 90

  approve:
    needs: plan
    # Nothing planned, nothing to approve.
    if: needs.plan.outputs.count-1 != '0'
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    # The one approval: this job waits for the protected environment's reviewers, who read the plan
    # job's summary table first. Every apply job needs it; none can start without it.
    environment: \${{ inputs.environment }}
    concurrency:
      group: firebreak-fleet-${e.slug}-approve-\${{ inputs.environment }}
      cancel-in-progress: false
    permissions: {}
    steps:
      - name: Approved
        run: echo "fleet run approved"

${i}
  summary:
    needs: [${o.join(", ")}]
    # Runs whatever the batches did (failed, cancelled, skipped): every planned target gets a line.
    if: always() && needs.plan.result == 'success'
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    permissions:
      contents: read
    steps:
      - uses: ${k.checkout}
        with:
          persist-credentials: false
      - name: Plan
        uses: ${k.download}
        with:
          name: firebreak-fleet-plan-\${{ github.run_id }}
          path: .firebreak/fleet/plan
      - name: Batch results (missing ones are reported per target)
        continue-on-error: true
        uses: ${k.download}
        with:
          pattern: firebreak-fleet-batch-\${{ github.run_id }}-*
          path: .firebreak/fleet/batches
      - name: One summary and one parent audit record
        run: node bin/firebreak.js fleet aggregate --plan .firebreak/fleet/plan/fleet/plan.json --results .firebreak/fleet/batches --audit-file .firebreak/fleet/parent.jsonl --ledger-out .firebreak/fleet/ledger.json --summary-out "$GITHUB_STEP_SUMMARY"
      - uses: ${k.upload}
        if: always()
        with:
          name: firebreak-fleet-ledger-\${{ github.run_id }}
          path: |
            .firebreak/fleet/ledger.json
            .firebreak/fleet/parent.jsonl
          include-hidden-files: true
          if-no-files-found: error
          retention-days: 90
`}l(Ne,"renderFleetWorkflow");function et(e,r,t,n){return`  apply-${t}:
    needs: [plan, approve]
    if: needs.approve.result == 'success' && needs.plan.outputs.count-${t} != '0'
    runs-on: ubuntu-24.04
    timeout-minutes: ${n}
    # After the gate (job approve). This environment has no reviewers of its own and only the
    # deployment branches may use it; the responder role trusts its OIDC subject only from this file.
    environment: \${{ inputs.environment }}-fleet
    concurrency:
      group: firebreak-fleet-${e.slug}-\${{ inputs.environment }}-\${{ matrix.batch }}
      cancel-in-progress: false
    strategy:
      fail-fast: false
      max-parallel: ${e.maxParallel}
      matrix: \${{ fromJSON(needs.plan.outputs.matrix-${t}) }}
    permissions:
      contents: read
      id-token: write
    steps:
      - uses: ${k.checkout}
        with:
          persist-credentials: false
      - uses: ${k.awsCredentials}
        with:
          role-to-assume: \${{ vars.FIREBREAK_RESPONDER_ROLE_ARN }}
          aws-region: \${{ vars.FIREBREAK_AWS_REGION }}
          role-session-name: firebreak-fleet-\${{ github.run_id }}-\${{ matrix.batch }}
      - name: Apply this batch
${Me(r,'--apply --only "$BATCH_TARGETS" --no-parent --audit-file ".firebreak/fleet/$BATCH/audit.jsonl" --ledger-out ".firebreak/fleet/$BATCH/result.json" --summary-out "$GITHUB_STEP_SUMMARY"',{BATCH:"${{ matrix.batch }}",BATCH_TARGETS:"${{ matrix.targets }}"})}
      - uses: ${k.upload}
        if: always()
        with:
          name: firebreak-fleet-batch-\${{ github.run_id }}-\${{ matrix.batch }}
          path: .firebreak/fleet/
          include-hidden-files: true
          if-no-files-found: warn
          retention-days: 90
`}l(et,"applyJob");function tt(e){let r=M.find(t=>t.slug===e);if(!r||!_(e))throw new Error(`${e} is not fleet-capable`);return r}l(tt,"fleetDefinition");function Pe(e){let r=_(e.slug)?Te[e.slug]:[];return ve(e).filter(([t])=>!r.includes(t))}l(Pe,"fleetFields");function ae(e){return`IN_${e.toUpperCase().replace(/-/g,"_")}`}l(ae,"envName");function je(e){return/^[A-Za-z][\w./ ()-]*$/.test(e)&&!/^(true|false|yes|no|on|off|null)$/i.test(e)?e:JSON.stringify(e)}l(je,"yamlText");function rt(e){let r=[],t=l((n,i,o,a)=>{r.push(`      ${n}:`,`        description: ${je(i)}`,`        type: ${o}`);for(let[s,c]of Object.entries(a))r.push(`        ${s}: ${Array.isArray(c)?`[${c.join(", ")}]`:typeof c=="boolean"?String(c):je(c)}`)},"input");t("environment","Protected GitHub environment whose reviewers approve the fleet run (plan and apply run in <environment>-fleet)","environment",{required:!0}),t("targets","Fleet set or selectors (prod, tag:pci, id:aws/123456789012/eu-west-1, all)","string",{required:!0}),t("incident-id","Incident id","string",e.incident==="required"?{required:!0}:{default:""});for(let[n,i]of Pe(e)){let o=i.workflow||{},a=o.description??i.description,s=o.type??(i.kind==="flag"?"boolean":i.kind==="choice"?"choice":"string");if(s==="boolean")t(n,a,"boolean",{default:!!(o.default??(i.kind==="flag"?i.default:!1))});else if(s==="choice"){let c=o.options??(i.kind==="choice"?i.options:[]);t(n,a,"choice",{options:[...c],default:String(o.default??i.default??c[0])})}else i.required?t(n,a,s,{required:!0}):t(n,a,s,{default:String(o.default??(i.kind==="text"?i.default??"":""))})}return t("retry-failed-run","Run id of an earlier fleet run; only its failed or missing targets are acted on","string",{default:""}),r.join(`
`)}l(rt,"dispatchInputs");function Me(e,r,t){let n=Pe(e),i=["args=()"];for(let[a,s]of n)(s.workflow&&s.workflow.type?s.workflow.type:s.kind==="flag"?"boolean":"string")==="boolean"?i.push(`if [ "$${ae(a)}" = true ]; then args+=(--${a}); fi`):i.push(`args+=(--${a} "$${ae(a)}")`);i.push(`node bin/firebreak.js fleet run ${e.slug} --targets "$TARGETS" --incident "$INCIDENT" "\${args[@]}" ${r}`);let o={...t,TARGETS:"${{ inputs.targets }}",INCIDENT:"${{ inputs.incident-id }}",...Object.fromEntries(n.map(([a])=>[ae(a),`\${{ inputs.${a} }}`])),...Object.fromEntries((e.workflow&&e.workflow.secrets||[]).map(a=>[a,`\${{ secrets.${a} }}`]))};return["        run: |",...i.map(a=>`          ${a}`),"        env:",...Object.entries(o).map(([a,s])=>`          ${a}: ${s}`)].join(`
`)}l(Me,"runStep");function $r(e){let r=e.command("fleet").description("act on a whole fleet of accounts, regions and zones (firebreak.yml fleet:)"),t=r.command("run").description(`plan (default) or apply a fleet-capable capability on the selected targets: ${L.join(", ")}`);for(let n of L){let i=M.find(s=>s.slug===n);if(!i)throw new Error(`fleet: ${n} is not in the capability registry`);let o=t.command(n).description(`${i.title} on every selected fleet target`),a=Object.entries(i.inputs).filter(([,s])=>s.cli!==!1).map(([s,c])=>({key:s,field:c,name:ce(s,c)}));for(let{field:s,name:c}of a)s.kind==="flag"?o.option(`--${c}`,s.description):o.addOption(new $e(`--${c} <${s.kind==="choice"?s.options.join("|"):"text"}>`,s.description));o.requiredOption("--targets <selection>","fleet set(s) or selectors: prod, tag:pci, id:<target>, provider:aws, all").option("--incident <id>","incident this run belongs to").option("--apply","make the changes (default: dry run, plan only)",!1).option("--only <ids>","act on these target ids only (comma-separated; must be in the selection)").option("--retry-failed <ledger>","act only on the targets that ledger did not apply").option("--retry-failed-dir <dir>","like --retry-failed with DIR/ledger.json, ignored when the directory is absent").option("--concurrency <n>","targets at once (default: fleet.concurrency)").option("--batch-size <n>","targets per matrix job (default: fleet.batch_size)").option("--shards <n>","apply jobs in the workflow (matrix shards of at most 256)","1").option("--matrix-out <file>","append matrix-N= and count-N= lines (GITHUB_OUTPUT)").option("--ledger-out <file>","write the fleet run ledger here (default: .firebreak/fleet/<run>.json)").option("--summary-out <file>","append the summary table (GITHUB_STEP_SUMMARY)").option("--no-parent","do not append the parent record (one batch of a workflow run; the summary job writes it)").option("--config <file>",`firebreak.yml (default: $${P.configFile} or ./firebreak.yml)`).option("--audit-file <file>","audit chain to append to").option("--actor <name>","who runs this (default: $USER)").action(async(s,c)=>{let d={};for(let{key:p,name:f}of a)d[p]=s[ot(f)];await at(n,d,s,c)})}r.command("aggregate").description("one summary and one parent audit record from a plan and the batches' results (missing batches reported per target)").requiredOption("--plan <file>","the plan job's ledger").requiredOption("--results <dir>","directory holding the batches' result.json files (any depth)").option("--audit-file <file>","chain to append the parent record to").option("--ledger-out <file>","write the combined ledger here",".firebreak/fleet/ledger.json").option("--summary-out <file>","append the summary table (GITHUB_STEP_SUMMARY)").option("--actor <name>","who runs this").option("--incident <id>","incident this run belongs to").action(async(n,i)=>{let o=D(i),{json:a}=Q(i),s=K(await oe(T(o.cwd,n.plan),"utf8"),n.plan),c=[];for(let m of await qe(T(o.cwd,n.results)))try{c.push(...K(await oe(m,"utf8"),m).outcomes)}catch(u){o.stderr(`warning: ${u.message}: its targets are reported as missing`)}let d=s.outcomes.filter(m=>m.status!=="planned"),p={...s,outcomes:C(s.planned,[...d,...c])},f=ee({auditFile:n.auditFile},o),S=await new Z(f).append(J(p,{time:(o.clock??V).now().toISOString(),actor:te({actor:n.actor},o),incidentId:n.incident??null,runUrl:null,dryRun:!1}));await Le(Be(T(o.cwd,n.ledgerOut)),{recursive:!0}),await Ue(T(o.cwd,n.ledgerOut),`${JSON.stringify(p,null,2)}
`);let x=re(p,s.capability);n.summaryOut&&await se(T(o.cwd,n.summaryOut),x),a?X(o,{ok:!0,status:H(p.outcomes),parent:{file:f,seq:S.seq,hash:S.hash},outcomes:p.outcomes}):o.stdout(x),Ge(p)}),r.command("workflow").description("print the generated fleet workflow for a capability").argument("<capability>").option("--max-targets <n>","largest fleet the file serves","256").option("--batch-size <n>","targets per matrix job","4").option("--max-parallel <n>","matrix jobs at once","20").action((n,i,o)=>{if(!_(n))throw new R(`${n} is not fleet-capable: ${L.join(", ")} are`,{field:"capability",code:"FLEET_CAPABILITY_UNKNOWN"});D(o).stdout(Ne({slug:n,maxTargets:j(i.maxTargets,"--max-targets"),batchSize:j(i.batchSize,"--batch-size"),maxParallel:j(i.maxParallel,"--max-parallel")}))})}l($r,"register");async function at(e,r,t,n){let i=D(n),{json:o,verbose:a}=Q(n),{FLEET_CAPABILITIES:s}=await import("./capabilities-D45PGALE.js"),c=_(e)?s[e]:void 0;if(!c)throw new R(`${e} is not fleet-capable (yet): ${L.join(", ")} are`,{field:"capability",code:"FLEET_CAPABILITY_UNKNOWN"});let d=M.find(h=>h.slug===e),p=de(d.inputs,r);c.validate?.(p);let f=T(i.cwd,t.config??i.env[P.configFile]??me),S=await Se(t.config,i),x=await Ce(S,f),m=Ae(String(t.targets),x,S.fleet.sets),u=t.retryFailed??await st(t.retryFailedDir,i);if(u){let h=K(await oe(T(i.cwd,u),"utf8"),u),b=new Set(Re(h));if(m=m.filter($=>b.has($.id)),m.length===0){i.stdout(`nothing to retry: ${u} has no failed or missing target in this selection`);return}}if(typeof t.only=="string"){let h=new Set(t.only.split(",").map($=>$.trim()).filter(Boolean)),b=[...h].filter($=>!m.some(F=>F.id===$));if(b.length)throw new R(`--only names target(s) outside the selection: ${b.join(", ")}`,{field:"only",code:"TARGETS_OUTSIDE_SELECTION"});m=m.filter($=>h.has($.id))}let E=fe(t.incident,{field:"--incident",required:!1}),A=i.env.GITHUB_RUN_ID??nt().slice(0,8),N=ee({auditFile:t.auditFile},i),y=await _e({capability:c,targets:m,selection:String(t.targets),raw:{...p,incident:E??void 0},dryRun:t.apply!==!0,env:i.env,config:S,audit:new Z(N),auditChain:N,clock:i.clock??V,sleep:i.sleep??pe,logger:ke(i,a),actor:te({actor:t.actor},i),incidentId:E,runUrl:i.env.GITHUB_RUN_ID&&i.env.GITHUB_REPOSITORY?`${i.env.GITHUB_SERVER_URL??"https://github.com"}/${i.env.GITHUB_REPOSITORY}/actions/runs/${i.env.GITHUB_RUN_ID}`:null,runId:A,redactor:i.redactor,parent:t.parent!==!1,...t.concurrency?{concurrency:j(t.concurrency,"--concurrency")}:{}}),I=T(i.cwd,t.ledgerOut??He(".firebreak","fleet",`${A}.json`));await Le(Be(I),{recursive:!0}),await Ue(I,`${JSON.stringify(y.ledger,null,2)}
`);let g=i.redactor.scrub(re(y.ledger,`${e}${t.apply?"":" plan"}`));if(t.summaryOut&&await se(T(i.cwd,t.summaryOut),g),t.matrixOut){let h=new Map(m.map(w=>[w.id,w.limitKey])),b=y.ledger.outcomes.filter(w=>w.status==="planned").map(w=>w.target).sort((w,O)=>(h.get(w)??w).localeCompare(h.get(O)??O)||w.localeCompare(O)),F=Ee(b,{batchSize:t.batchSize?j(t.batchSize,"--batch-size"):S.fleet.batch_size,maxShards:j(String(t.shards),"--shards")}).shards.flatMap((w,O)=>[`matrix-${O+1}=${JSON.stringify(w)}`,`count-${O+1}=${w.include.length}`]);await se(T(i.cwd,t.matrixOut),`${F.join(`
`)}
`)}o?X(i,{ok:!0,status:H(y.ledger.outcomes),ledger:I,parent:y.parent,outcomes:y.ledger.outcomes}):i.stdout(`${g}
ledger: ${I}`),!(t.matrixOut&&t.apply!==!0&&y.ledger.outcomes.some(h=>h.status==="planned"))&&Ge(y.ledger)}l(at,"runFleetCommand");function j(e,r){let t=Number(e);if(!Number.isInteger(t)||t<1)throw new R(`${r} must be a positive integer, got ${JSON.stringify(e)}`,{field:r,code:"NUMBER_INVALID"});return t}l(j,"positive");async function st(e,r){return e?(await qe(T(r.cwd,e),"ledger.json").catch(()=>[]))[0]:void 0}l(st,"ledgerIn");async function qe(e,r="result.json"){let t;try{t=await it(e,{recursive:!0,withFileTypes:!0})}catch{return[]}return t.filter(n=>n.isFile()&&n.name===r).map(n=>He(n.parentPath,n.name)).sort()}l(qe,"findResults");function Ge(e){let r=C(e.planned,e.outcomes),t=r.filter(n=>!["applied","noop","planned"].includes(n.status));if(t.length!==0)throw new q(`${e.capability}: ${t.length} of ${r.length} target(s) not applied: ${t.map(n=>`${n.target} (${n.status})`).join(", ")}`,{targets:r},{hint:"Nothing applied is rolled back. Fix the cause named per target and re-run with --retry-failed on this run's ledger: only those targets are acted on."})}l(Ge,"failOnPartial");function ot(e){return e.replace(/-([a-z])/g,(r,t)=>t.toUpperCase())}l(ot,"camel");export{$r as register,at as runFleetCommand};
