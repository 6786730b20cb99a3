import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
import{c as ge,d as Y,e as V,f as he}from"./chunk-XU26NY4B.js";import{Aa as me,za as fe}from"./chunk-C525WURN.js";import{d as oe}from"./chunk-BDSUSITJ.js";import"./chunk-VEOQ5EOD.js";import{a as le}from"./chunk-VZPQFNVK.js";import"./chunk-XGYUXBK3.js";import{b as ae}from"./chunk-TABBA3OG.js";import"./chunk-LIRNLO52.js";import"./chunk-6IXO2ZPN.js";import"./chunk-BKWXBEMZ.js";import"./chunk-X7OYZWE5.js";import"./chunk-PF4AARN5.js";import"./chunk-Q2LBEF2K.js";import"./chunk-ZXHW7XEA.js";import"./chunk-RTZEX5TW.js";import"./chunk-XJZP4PSX.js";import"./chunk-5WBC26VW.js";import"./chunk-FOAA7CJG.js";import"./chunk-XC6ZU2BT.js";import"./chunk-UZ5RTYM3.js";import"./chunk-TVHJZSZK.js";import"./chunk-CUMWV45G.js";import{e as se}from"./chunk-CI2WDGV7.js";import"./chunk-EVC2RCMG.js";import"./chunk-TJPCLXV7.js";import"./chunk-WA2NONOB.js";import"./chunk-INOZV5H7.js";import"./chunk-VZQNJJSH.js";import"./chunk-GNX4SFRO.js";import"./chunk-3UMSTISL.js";import"./chunk-536AY2EV.js";import"./chunk-KT6TH4VM.js";import"./chunk-R2MWNJ4J.js";import{b as U,c as J,e as q}from"./chunk-I57XUC3N.js";import{a as de}from"./chunk-HLGED7IZ.js";import{a as ue,b as pe,c as W}from"./chunk-T27H64FD.js";import"./chunk-KFOJWC6B.js";import"./chunk-65J4K53D.js";import{a as ie}from"./chunk-TIYN3ZK6.js";import{a as ce}from"./chunk-4SLSDNCN.js";import"./chunk-UCZGMGD5.js";import{a as v}from"./chunk-2F3AR5WW.js";import{a as H,b as ne}from"./chunk-7YSTPJ2B.js";import"./chunk-W6UBPK2W.js";import"./chunk-PTUXZDKB.js";import"./chunk-EM7ZOBKN.js";import{a as R}from"./chunk-WJVDNEIM.js";import{c as k,d as T,g as re,i as M}from"./chunk-UPXYP5ZQ.js";import{a as i}from"./chunk-AOW3F5PO.js";import{randomUUID as Je}from"node:crypto";import{appendFile as ee,mkdir as Re,readFile as te,readdir as qe,writeFile as Fe}from"node:fs/promises";import{dirname as Ae,join as _e,resolve as S}from"node:path";var N={maxMatrixJobs:256};function ye(e,t){if(t.maxShards<1||t.batchSize<1)throw new RangeError("batchSize and maxShards must be at least 1");let r=N.maxMatrixJobs*t.maxShards,n=Math.max(t.batchSize,Math.ceil(e.length/r)),a=[];for(let o=0;o<e.length;o+=n)a.push({id:`b${String(a.length+1).padStart(3,"0")}`,targets:e.slice(o,o+n)});let s=Array.from({length:t.maxShards},()=>({include:[]}));return a.forEach((o,p)=>s[Math.floor(p/N.maxMatrixJobs)].include.push({batch:o.id,targets:o.targets.join(",")})),{batchSize:n,shards:s}}i(ye,"fleetMatrix");function be(e,t){return Math.max(1,Math.ceil(Math.ceil(e/t)/N.maxMatrixJobs))}i(be,"shardsFor");var L=new Set(["applied","noop"]);function _(e,t){let r=new Map;for(let n of t)e.includes(n.target)&&r.set(n.target,n);return e.map(n=>r.get(n)??{target:n,status:"missing",changes:0,applied:0,failed:0,reason:"no result: its batch did not run, was cancelled, or its result artifact is missing"})}i(_,"completeOutcomes");function we(e){return _(e.planned,e.outcomes).filter(t=>!L.has(t.status)).map(t=>t.target)}i(we,"targetsToRetry");function B(e,t){let r;try{r=JSON.parse(e)}catch(a){throw new T(`${t} is not a fleet run ledger: ${a.message}`,[])}let n=r;if(n?.v!==1||typeof n.capability!="string"||!Array.isArray(n.planned)||!Array.isArray(n.outcomes))throw new T(`${t} is not a fleet run ledger (v 1 with capability, planned, outcomes)`,[],{hint:"Pass the ledger a fleet run wrote (.firebreak/fleet/<run>.json or the fleet-ledger artifact)."});return n}i(B,"parseFleetLedger");function P(e){if(e.length>0&&e.every(r=>r.status==="planned"))return"planned";let t=e.filter(r=>!L.has(r.status)).length;return t===0?e.some(r=>r.status==="applied")?"ok":"noop":t===e.length?"failed":"partial"}i(P,"fleetStatus");function D(e,t){let r=_(e.planned,e.outcomes),n=P(r);return{v:ce,time:t.time,incidentId:t.incidentId,actor:t.actor,runUrl:t.runUrl,step:`fleet:${e.capability}`,status:n==="ok"?"applied":n,dryRun:t.dryRun,input:{selection:e.selection,targets:e.planned,runId:e.runId},plan:null,result:{status:n,targets:r},error:n==="partial"||n==="failed"?{code:"FLEET_PARTIAL",message:Ce(r)}:null}}i(D,"parentAuditRecord");function Ce(e){let t=e.filter(r=>!L.has(r.status)&&r.status!=="planned");return`${t.length} of ${e.length} target(s) not applied: ${t.map(r=>r.target).join(", ")}`}i(Ce,"failedLine");function Q(e,t){let r=_(e.planned,e.outcomes),n=P(r),a=i(l=>L.has(l.status)||l.status==="planned"?1:0,"rank"),s=[...r].sort((l,d)=>a(l)-a(d)||l.target.localeCompare(d.target)),o=i(l=>l.replace(/\|/g,"\\|").replace(/\r?\n/g," "),"cell"),p=[`## ${t}: ${n} (${r.length} target(s))`,"","| target | status | changes | applied | failed | audit | reason |","| --- | --- | --- | --- | --- | --- | --- |",...s.map(l=>`| ${l.target} | ${l.status} | ${l.changes} | ${l.applied} | ${l.failed} | ${l.audit?`\`${l.audit.hash.slice(0,12)}\``:""} | ${o(l.reason??"")} |`)],c=r.filter(l=>!L.has(l.status)&&l.status!=="planned");return c.length&&p.push("",`Not applied: ${c.map(l=>l.target).join(", ")}. Re-run with \`--retry-failed\` on this run's ledger: only these targets are acted on.`),`${p.join(`
`)}
`}i(Q,"renderFleetSummary");function $e(e){return e.provider==="aws"?`aws/${e.account}/${e.region}`:e.provider==="cloudflare"?`cloudflare/${e.account}`:`github/${e.repository}${e.environment?`/${e.environment}`:""}`}i($e,"targetId");function Se(e){let t=new Map;for(let r of e){let n=$e(r),a=t.get(n);if(a&&JSON.stringify({...a,id:void 0,limitKey:void 0,tags:[]})!==JSON.stringify({...r,id:void 0,limitKey:void 0,tags:[]}))throw new T(`fleet target ${n} is declared twice with different settings`,[],{hint:"Keep one entry per target: the generated targets_file, or firebreak.yml fleet.targets, not both."});let s=[...new Set([...a?.tags??[],...r.tags])].sort();t.set(n,{...r,tags:s,id:n,limitKey:je(r)})}return[...t.values()].sort((r,n)=>r.id.localeCompare(n.id))}i(Se,"fleetTargets");function je(e){return e.provider==="aws"?`aws/${e.account}/${e.waf?.scope==="CLOUDFRONT"?"us-east-1":e.region}`:$e(e)}i(je,"limitKeyOf");function Te(e,t,r){let n=e.split(",").map(o=>o.trim()).filter(Boolean);if(n.length===0)throw new k("targets is empty: name a set (e.g. prod), tag:<tag> or all",{field:"targets",code:"TARGETS_EMPTY"});let a=new Set,s=i((o,p)=>{let[c,l]=Ne(o),d;if(c==="all")d=t;else if(c==="tag")d=t.filter(u=>u.tags.includes(l));else if(c==="id")d=t.filter(u=>u.id===l);else if(c==="provider")d=t.filter(u=>u.provider===l);else{let u=Object.hasOwn(r,o)?r[o]:void 0;if(!u)throw new k(`targets: ${JSON.stringify(o)} is not a fleet set or selector`,{field:"targets",code:"TARGETS_UNKNOWN",hint:`Sets in firebreak.yml: ${Object.keys(r).join(", ")||"(none)"}; selectors: tag:<tag>, id:<target id>, provider:<name>, all.`});for(let m of u)s(m,o);return}if(d.length===0)throw new k(`targets: ${o}${p?` (in set ${p})`:""} matches no fleet target`,{field:"targets",code:"TARGETS_NONE_MATCH",hint:`Known targets: ${t.slice(0,5).map(u=>u.id).join(", ")}${t.length>5?", …":""}`});for(let u of d)a.add(u.id)},"expand");for(let o of n)s(o,"");return t.filter(o=>a.has(o.id))}i(Te,"selectTargets");function Ne(e){if(e==="all")return["all",""];let t=e.indexOf(":");return t<0?["set",e]:[e.slice(0,t),e.slice(t+1)]}i(Ne,"splitSelector");var Le={slug:"block-ips",providers:["aws","cloudflare"],step:oe,input:i((e,t)=>({...e,target:t.provider==="aws"?"waf":"cloudflare"}),"input"),ports(e){let t=ae(Pe(e),e.config,{sleep:e.sleep,...e.timeoutMs?{timeoutMs:e.timeoutMs}:{}});return t.waf&&(t.waf={...t.waf,client:Me(t.waf.client,e)}),t},release(e){e.waf?.client?.destroy?.()}};function Pe(e){let t=e.target,r={...e.env};return t.provider==="aws"?(r[R.awsRegion]=t.region,r[v.awsRegion]=t.region,r[v.wafScope]=t.waf?.scope??"REGIONAL",r[v.wafIpSetV4Arn]=t.waf?.ipv4_arn,r[v.wafIpSetV6Arn]=t.waf?.ipv6_arn,r.AWS_ACCESS_KEY_ID=e.aws?.accessKeyId,r.AWS_SECRET_ACCESS_KEY=e.aws?.secretAccessKey,r.AWS_SESSION_TOKEN=e.aws?.sessionToken):t.provider==="cloudflare"&&(r[v.cloudflareAccountId]=t.account,r[v.cloudflareListId]=t.list_id),r}i(Pe,"targetEnv");function Me(e,t){return{read:i(r=>e.read(r),"read"),async edit(r,n){return await t.writes.take(t.target.limitKey),e.edit(r,n)},destroy:i(()=>e.destroy?.(),"destroy")}}i(Me,"rateLimited");var x={"block-ips":Le};async function Ee(e,t,r){if(!Number.isInteger(t)||t<1)throw new RangeError(`concurrency must be a positive integer, got ${t}`);let n=new Array(e.length),a=0,s=i(async()=>{for(;a<e.length;){let o=a++;try{n[o]={status:"fulfilled",value:await r(e[o],o)}}catch(p){n[o]={status:"rejected",reason:p}}}},"worker");return await Promise.all(Array.from({length:Math.min(t,e.length)},s)),n}i(Ee,"mapBounded");var K=class{constructor(t){this.opts=t;if(!(t.ratePerSecond>0)||!(t.burst>=1))throw new RangeError("ratePerSecond must be > 0 and burst >= 1")}opts;static{i(this,"KeyedTokenBucket")}buckets=new Map;async take(t){let r=this.opts.clock.now().getTime(),n=this.buckets.get(t)??{tokens:this.opts.burst,at:r},s=Math.min(this.opts.burst,n.tokens+(r-n.at)/1e3*this.opts.ratePerSecond)-1;if(this.buckets.set(t,{tokens:s,at:r}),s>=0)return 0;let o=Math.ceil(-s/this.opts.ratePerSecond*1e3);return await this.opts.sleep(o),o}};var X={waf:{writesPerSecond:1,burst:1}};var G=class{constructor(t,r,n){this.env=t;this.sessionName=r;this.timeoutMs=n}env;sessionName;timeoutMs;static{i(this,"FleetAwsSessions")}cache=new Map;clients=new Map;credentials(t,r=this.env){let n=r[R.awsEndpoint]??"",a=`${n} ${t}`,s=this.cache.get(a);return s||(s=this.assume(t,this.client(n,r)),s.catch(()=>this.cache.delete(a)),this.cache.set(a,s)),s}client(t,r){let n=this.clients.get(t);return n||(n=new fe(se(r,this.timeoutMs===void 0?{}:{timeoutMs:this.timeoutMs})),this.clients.set(t,n)),n}async assume(t,r){try{let a=(await r.send(new me({RoleArn:t,RoleSessionName:this.sessionName.slice(0,64),DurationSeconds:3600}))).Credentials;if(!a?.AccessKeyId||!a.SecretAccessKey||!a.SessionToken)throw new Error("STS returned no credentials");return{accessKeyId:a.AccessKeyId,secretAccessKey:a.SecretAccessKey,sessionToken:a.SessionToken}}catch(n){throw new re(`cannot assume ${t}: ${n.message}`,{provider:"aws",operation:"sts:AssumeRole",retryable:!1,code:"FLEET_ASSUME_FAILED",hint:"Deploy the kit's fleet-member role in that account (infra/components/fleet-member-role.ts) trusting the responder role."})}}destroy(){for(let t of this.clients.values())t.destroy()}};function Ue(e){let t=new Set(Object.values(v));return Object.fromEntries(Object.entries(e).filter(([r])=>!t.has(r)))}i(Ue,"fleetBaseEnv");function Be(e,t){return new K({ratePerSecond:X.waf.writesPerSecond,burst:X.waf.burst,clock:e,sleep:t})}i(Be,"writeLimiter");async function ke(e){let t=e.writes??Be(e.clock,e.sleep),r=Ue(e.env),n=new G(r,`firebreak-fleet-${e.runId}`,e.timeoutMs),a=new Map,s=e.targets.filter(o=>e.capability.providers.includes(o.provider));try{let p=(await Ee(s,e.concurrency??e.config.fleet.concurrency,async d=>{let u=new Z(e.audit),m=ue({audit:u,clock:e.clock,sleep:e.sleep,logger:De(e.logger,d.id),actor:e.actor,incidentId:e.incidentId,runUrl:e.runUrl,dryRun:e.dryRun,overrides:e.overrides??[],...e.redactor?{redactor:e.redactor}:{}}),y={...r,...e.envFor?.(d)??{}},E;try{if(d.provider==="aws"){E=await n.credentials(d.role_arn,y);for(let f of[E.secretAccessKey,E.sessionToken])m.redactor.register(f),e.redactor?.register(f)}}catch(f){return{target:d.id,status:"failed",changes:0,applied:0,failed:0,reason:f.message}}let j=e.capability.ports({target:d,env:y,config:e.config,aws:E,writes:t,sleep:e.sleep,timeoutMs:e.timeoutMs});try{let f=await pe(e.capability.step,e.capability.input(e.raw,d),j,m),b=f.result?.outcomes??[];a.set(d.id,b);let w=f.plan?.changes.length??0;return{target:d.id,status:e.dryRun?"planned":f.result?.status==="ok"?"applied":"noop",changes:w,applied:b.filter(F=>F.status==="applied").length,failed:0,audit:{chain:e.auditChain,seq:f.entry.seq,hash:f.entry.hash}}}catch(f){let w=(f instanceof M?f.result:void 0)?.outcomes??[];a.set(d.id,w);let F=f.exit==="guard"||f.exit==="input";return{target:d.id,status:F?"refused":"failed",changes:w.filter(g=>g.status!=="already").length,applied:w.filter(g=>g.status==="applied").length,failed:w.filter(g=>g.status==="failed").length,reason:m.redactor.scrub(f.message??String(f)),audit:u.last?{chain:e.auditChain,seq:u.last.seq,hash:u.last.hash}:void 0}}finally{e.capability.release?.(j)}})).map((d,u)=>d.status==="fulfilled"?d.value:{target:s[u].id,status:"failed",changes:0,applied:0,failed:0,reason:String(d.reason?.message??d.reason)}),c={v:1,capability:e.capability.slug,runId:e.runId,selection:e.selection,planned:s.map(d=>d.id),outcomes:p},l;if(e.parent!==!1){let d=await e.audit.append(D(c,{time:e.clock.now().toISOString(),actor:e.actor,incidentId:e.incidentId,runUrl:e.runUrl,dryRun:e.dryRun}));l={seq:d.seq,hash:d.hash}}return{ledger:c,details:a,parent:l}}finally{n.destroy()}}i(ke,"runFleet");var Z=class{constructor(t){this.inner=t}inner;static{i(this,"RememberingSink")}last;async append(t){return this.last=await this.inner.append(t),this.last}};function De(e,t){return{info:i(r=>e.info(`[${t}] ${r}`),"info"),warn:i(r=>e.warn(`[${t}] ${r}`),"warn"),error:i(r=>e.error(`[${t}] ${r}`),"error"),debug:i(r=>e.debug(`[${t}] ${r}`),"debug")}}i(De,"prefixed");import{readFile as Ke}from"node:fs/promises";import{dirname as Ge,resolve as ze}from"node:path";async function ve(e,t){let r=[...e.fleet.targets],n=e.fleet.targets_file;if(n){let a=ze(Ge(t),n),s;try{s=await Ke(a,"utf8")}catch(c){throw new T(`fleet.targets_file ${n}: ${c.code==="ENOENT"?"file not found":c.message}`,[],{hint:"Generate it from the kit's stacks: `pulumi stack output` per stack via infra/fleet-targets.ts (docs/operators/fleet.md)."})}let o;try{o=JSON.parse(s)}catch(c){throw new T(`fleet.targets_file ${n} is not JSON: ${c.message}`,[])}let p=le.safeParse(o);if(!p.success){let c=p.error.issues.map(l=>({file:n,line:0,column:0,field:l.path.join("."),message:l.message}));throw new T(`fleet.targets_file ${n}: ${c.length} problem(s): ${c.map(l=>`${l.field}: ${l.message}`).join("; ")}`,c)}r.push(...p.data.targets)}if(r.length===0)throw new T("no fleet targets: set fleet.targets_file or fleet.targets in firebreak.yml",[],{hint:"docs/operators/fleet.md shows both."});return Se(r)}i(ve,"loadFleetTargets");var $={checkout:"actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1 # v7.0.1",awsCredentials:"aws-actions/configure-aws-credentials@e6de054238d6b7531b4efff3b6587d9aade6a06c # v6.2.3",upload:"actions/upload-artifact@bbbca2ddaa5d8feaa63e36b76fdaad77386f024f # v7.0.0",download:"actions/download-artifact@fa0a91b85d4f404e444e00e005971372dc801d16 # v4.1.8"};function He(e){return be(e.maxTargets,e.batchSize)}i(He,"fleetShardCount");function Ie(e){let t=He(e),r=e.timeoutMinutes??30,n=Array.from({length:t},(s,o)=>We(e,o+1,r)).join(`
`),a=["plan",...Array.from({length:t},(s,o)=>`apply-${o+1}`)];return`# Generated by \`firebreak fleet workflow ${e.slug}\` (src/fleet/workflow.ts): do not edit by hand.
# ${e.slug} across a fleet (firebreak.yml \`fleet:\`): one plan, one approval, batched apply, one summary.
# Serves up to ${e.maxTargets} targets in batches of ${e.batchSize} (${t} apply job(s) of at most ${N.maxMatrixJobs} matrix jobs).
# Limits and environments: docs/operators/fleet.md
name: fleet-${e.slug}

on:
  workflow_dispatch:
    inputs:
      environment:
        description: Protected GitHub environment whose reviewers approve the fleet run
        type: environment
        required: true
      targets:
        description: Fleet set or selectors (prod, tag:pci, id:aws/123456789012/eu-west-1, all)
        type: string
        required: true
      addresses:
        description: Addresses or CIDRs, separated by commas or spaces
        type: string
        required: true
      reason:
        description: Why (stored with each block and in every audit record)
        type: string
        required: true
      incident-id:
        description: Incident id
        type: string
        required: true
      ttl:
        description: How long a block lasts
        type: choice
        options: [1h, 4h, 24h, 72h, 7d, 30d, 90d]
        default: 24h
      retry-failed-run:
        description: Run id of an earlier fleet run; only its failed or missing targets are acted on
        type: string
        default: ''

permissions: {}

jobs:
  plan:
    runs-on: ubuntu-24.04
    timeout-minutes: ${r}
    # Reads every target (dry run). The plan environment has no reviewers; its OIDC subject is
    # trusted by a read-only path of the responder role (docs/operators/fleet.md).
    environment: \${{ inputs.environment }}-plan
    concurrency:
      group: firebreak-fleet-${e.slug}-plan-\${{ inputs.environment }}
      cancel-in-progress: false
    permissions:
      contents: read
      id-token: write
      actions: read
    outputs:
${Array.from({length:t},(s,o)=>`      matrix-${o+1}: \${{ steps.plan.outputs.matrix-${o+1} }}
      count-${o+1}: \${{ steps.plan.outputs.count-${o+1} }}`).join(`
`)}
    steps:
      - uses: ${$.checkout}
        with:
          persist-credentials: false
      - uses: ${$.awsCredentials}
        with:
          role-to-assume: \${{ vars.FIREBREAK_RESPONDER_ROLE_ARN }}
          aws-region: \${{ vars.FIREBREAK_AWS_REGION }}
          role-session-name: firebreak-fleet-plan-\${{ github.run_id }}
      - name: Ledger of the run being retried
        if: inputs.retry-failed-run != ''
        uses: ${$.download}
        with:
          name: firebreak-fleet-ledger-\${{ inputs.retry-failed-run }}
          path: .firebreak/fleet/retry
          run-id: \${{ inputs.retry-failed-run }}
          github-token: \${{ github.token }}
      - name: Plan every target
        id: plan
        run: node bin/firebreak.js fleet run ${e.slug} --targets "$TARGETS" --reason "$REASON" --ttl "$TTL" --incident "$INCIDENT" --addresses "$ADDRESSES" --retry-failed-dir .firebreak/fleet/retry --batch-size ${e.batchSize} --shards ${t} --matrix-out "$GITHUB_OUTPUT" --ledger-out .firebreak/fleet/plan.json --summary-out "$GITHUB_STEP_SUMMARY"
        env:
          TARGETS: \${{ inputs.targets }}
          ADDRESSES: \${{ inputs.addresses }}
          REASON: \${{ inputs.reason }}
          TTL: \${{ inputs.ttl }}
          INCIDENT: \${{ inputs.incident-id }}
          CLOUDFLARE_API_TOKEN: \${{ secrets.CLOUDFLARE_API_TOKEN }}
      - uses: ${$.upload}
        if: always()
        with:
          name: firebreak-fleet-plan-\${{ github.run_id }}
          path: .firebreak/
          include-hidden-files: true
          if-no-files-found: warn
          retention-days: 90

  approve:
    needs: plan
    runs-on: ubuntu-24.04
    timeout-minutes: 5
    # The one approval: this job waits for the protected environment's reviewers.
    environment: \${{ inputs.environment }}
    concurrency:
      group: firebreak-fleet-${e.slug}-approve-\${{ inputs.environment }}
      cancel-in-progress: false
    permissions: {}
    steps:
      - name: Approved
        run: echo "fleet run approved"

${n}
  summary:
    needs: [${a.join(", ")}]
    # Runs whatever the batches did (failed, cancelled, skipped): every planned target gets a line.
    if: always() && needs.plan.result == 'success'
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    permissions:
      contents: read
    steps:
      - uses: ${$.checkout}
        with:
          persist-credentials: false
      - name: Plan
        uses: ${$.download}
        with:
          name: firebreak-fleet-plan-\${{ github.run_id }}
          path: .firebreak/fleet/plan
      - name: Batch results (missing ones are reported per target)
        continue-on-error: true
        uses: ${$.download}
        with:
          pattern: firebreak-fleet-batch-\${{ github.run_id }}-*
          path: .firebreak/fleet/batches
      - name: One summary and one parent audit record
        run: node bin/firebreak.js fleet aggregate --plan .firebreak/fleet/plan/fleet/plan.json --results .firebreak/fleet/batches --audit-file .firebreak/fleet/parent.jsonl --ledger-out .firebreak/fleet/ledger.json --summary-out "$GITHUB_STEP_SUMMARY"
      - uses: ${$.upload}
        if: always()
        with:
          name: firebreak-fleet-ledger-\${{ github.run_id }}
          path: |
            .firebreak/fleet/ledger.json
            .firebreak/fleet/parent.jsonl
          include-hidden-files: true
          if-no-files-found: error
          retention-days: 90
`}i(Ie,"renderFleetWorkflow");function We(e,t,r){return`  apply-${t}:
    needs: [plan, approve]
    if: needs.plan.outputs.count-${t} != '0'
    runs-on: ubuntu-24.04
    timeout-minutes: ${r}
    # Approved once (job approve); this environment has no reviewers of its own and only the default
    # branch may use it. Its OIDC subject is what the responder role trusts for fleet writes.
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
      - uses: ${$.checkout}
        with:
          persist-credentials: false
      - uses: ${$.awsCredentials}
        with:
          role-to-assume: \${{ vars.FIREBREAK_RESPONDER_ROLE_ARN }}
          aws-region: \${{ vars.FIREBREAK_AWS_REGION }}
          role-session-name: firebreak-fleet-\${{ github.run_id }}-\${{ matrix.batch }}
      - name: Apply this batch
        run: node bin/firebreak.js fleet run ${e.slug} --apply --only "$BATCH_TARGETS" --targets "$TARGETS" --reason "$REASON" --ttl "$TTL" --incident "$INCIDENT" --addresses "$ADDRESSES" --no-parent --audit-file ".firebreak/fleet/$BATCH/audit.jsonl" --ledger-out ".firebreak/fleet/$BATCH/result.json" --summary-out "$GITHUB_STEP_SUMMARY"
        env:
          BATCH: \${{ matrix.batch }}
          BATCH_TARGETS: \${{ matrix.targets }}
          TARGETS: \${{ inputs.targets }}
          ADDRESSES: \${{ inputs.addresses }}
          REASON: \${{ inputs.reason }}
          TTL: \${{ inputs.ttl }}
          INCIDENT: \${{ inputs.incident-id }}
          CLOUDFLARE_API_TOKEN: \${{ secrets.CLOUDFLARE_API_TOKEN }}
      - uses: ${$.upload}
        if: always()
        with:
          name: firebreak-fleet-batch-\${{ github.run_id }}-\${{ matrix.batch }}
          path: .firebreak/fleet/
          include-hidden-files: true
          if-no-files-found: warn
          retention-days: 90
`}i(We,"applyJob");function ir(e){let t=e.command("fleet").description("act on a whole fleet of accounts, regions and zones (firebreak.yml fleet:)");t.command("run").description("plan (default) or apply a fleet-capable capability on the selected targets").argument("<capability>",`one of: ${Object.keys(x).join(", ")}`).requiredOption("--targets <selection>","fleet set(s) or selectors: prod, tag:pci, id:<target>, provider:aws, all").option("--addresses <list>","addresses or CIDRs (block-ips)").option("--reason <text>","why (recorded with every target)").option("--ttl <duration>","how long a block lasts (block-ips)").option("--incident <id>","incident this run belongs to").option("--apply","make the changes (default: dry run, plan only)",!1).option("--only <ids>","act on these target ids only (comma-separated; must be in the selection)").option("--retry-failed <ledger>","act only on the targets that ledger did not apply").option("--retry-failed-dir <dir>","like --retry-failed with DIR/ledger.json, ignored when the directory is absent").option("--concurrency <n>","targets at once (default: fleet.concurrency)").option("--batch-size <n>","targets per matrix job (default: fleet.batch_size)").option("--shards <n>","apply jobs in the workflow (matrix shards of at most 256)","1").option("--matrix-out <file>","append matrix-N= and count-N= lines (GITHUB_OUTPUT)").option("--ledger-out <file>","write the fleet run ledger here (default: .firebreak/fleet/<run>.json)").option("--summary-out <file>","append the summary table (GITHUB_STEP_SUMMARY)").option("--no-parent","do not append the parent record (one batch of a workflow run; the summary job writes it)").option("--config <file>",`firebreak.yml (default: $${R.configFile} or ./firebreak.yml)`).option("--audit-file <file>","audit chain to append to").option("--actor <name>","who runs this (default: $USER)").action(async(r,n,a)=>{let s=U(a),{json:o,verbose:p}=J(a),c=Object.hasOwn(x,r)?x[r]:void 0;if(!c)throw new k(`${r} is not fleet-capable (yet): ${Object.keys(x).join(", ")} are`,{field:"capability",code:"FLEET_CAPABILITY_UNKNOWN"});let l=S(s.cwd,n.config??s.env[R.configFile]??de),d=await ge(n.config,s),u=await ve(d,l),m=Te(String(n.targets),u,d.fleet.sets),y=n.retryFailed??await Ye(n.retryFailedDir,s);if(y){let g=B(await te(S(s.cwd,y),"utf8"),y),A=new Set(we(g));if(m=m.filter(I=>A.has(I.id)),m.length===0){s.stdout(`nothing to retry: ${y} has no failed or missing target in this selection`);return}}if(typeof n.only=="string"){let g=new Set(n.only.split(",").map(I=>I.trim()).filter(Boolean)),A=[...g].filter(I=>!m.some(z=>z.id===I));if(A.length)throw new k(`--only names target(s) outside the selection: ${A.join(", ")}`,{field:"only",code:"TARGETS_OUTSIDE_SELECTION"});m=m.filter(I=>g.has(I.id))}let E=ie(n.incident,{field:"--incident",required:!1}),j=s.env.GITHUB_RUN_ID??Je().slice(0,8),f=Y({auditFile:n.auditFile},s),b=await ke({capability:c,targets:m,selection:String(n.targets),raw:{addresses:n.addresses,reason:n.reason,ttl:n.ttl,incident:E??void 0},dryRun:n.apply!==!0,env:s.env,config:d,audit:new W(f),auditChain:f,clock:s.clock??H,sleep:s.sleep??ne,logger:he(s,p),actor:V({actor:n.actor},s),incidentId:E,runUrl:s.env.GITHUB_RUN_ID&&s.env.GITHUB_REPOSITORY?`${s.env.GITHUB_SERVER_URL??"https://github.com"}/${s.env.GITHUB_REPOSITORY}/actions/runs/${s.env.GITHUB_RUN_ID}`:null,runId:j,redactor:s.redactor,parent:n.parent!==!1,...n.concurrency?{concurrency:C(n.concurrency,"--concurrency")}:{}}),w=S(s.cwd,n.ledgerOut??_e(".firebreak","fleet",`${j}.json`));await Re(Ae(w),{recursive:!0}),await Fe(w,`${JSON.stringify(b.ledger,null,2)}
`);let F=s.redactor.scrub(Q(b.ledger,`${r}${n.apply?"":" plan"}`));if(n.summaryOut&&await ee(S(s.cwd,n.summaryOut),F),n.matrixOut){let g=new Map(m.map(h=>[h.id,h.limitKey])),A=b.ledger.outcomes.filter(h=>h.status==="planned").map(h=>h.target).sort((h,O)=>(g.get(h)??h).localeCompare(g.get(O)??O)||h.localeCompare(O)),z=ye(A,{batchSize:n.batchSize?C(n.batchSize,"--batch-size"):d.fleet.batch_size,maxShards:C(String(n.shards),"--shards")}).shards.flatMap((h,O)=>[`matrix-${O+1}=${JSON.stringify(h)}`,`count-${O+1}=${h.include.length}`]);await ee(S(s.cwd,n.matrixOut),`${z.join(`
`)}
`)}o?q(s,{ok:!0,status:P(b.ledger.outcomes),ledger:w,parent:b.parent,outcomes:b.ledger.outcomes}):s.stdout(`${F}
ledger: ${w}`),!(n.matrixOut&&n.apply!==!0&&b.ledger.outcomes.some(g=>g.status==="planned"))&&Oe(b.ledger)}),t.command("aggregate").description("one summary and one parent audit record from a plan and the batches' results (missing batches reported per target)").requiredOption("--plan <file>","the plan job's ledger").requiredOption("--results <dir>","directory holding the batches' result.json files (any depth)").option("--audit-file <file>","chain to append the parent record to").option("--ledger-out <file>","write the combined ledger here",".firebreak/fleet/ledger.json").option("--summary-out <file>","append the summary table (GITHUB_STEP_SUMMARY)").option("--actor <name>","who runs this").option("--incident <id>","incident this run belongs to").action(async(r,n)=>{let a=U(n),{json:s}=J(n),o=B(await te(S(a.cwd,r.plan),"utf8"),r.plan),p=[];for(let y of await xe(S(a.cwd,r.results)))try{p.push(...B(await te(y,"utf8"),y).outcomes)}catch(E){a.stderr(`warning: ${E.message}: its targets are reported as missing`)}let c=o.outcomes.filter(y=>y.status!=="planned"),l={...o,outcomes:_(o.planned,[...c,...p])},d=Y({auditFile:r.auditFile},a),u=await new W(d).append(D(l,{time:(a.clock??H).now().toISOString(),actor:V({actor:r.actor},a),incidentId:r.incident??null,runUrl:null,dryRun:!1}));await Re(Ae(S(a.cwd,r.ledgerOut)),{recursive:!0}),await Fe(S(a.cwd,r.ledgerOut),`${JSON.stringify(l,null,2)}
`);let m=Q(l,o.capability);r.summaryOut&&await ee(S(a.cwd,r.summaryOut),m),s?q(a,{ok:!0,status:P(l.outcomes),parent:{file:d,seq:u.seq,hash:u.hash},outcomes:l.outcomes}):a.stdout(m),Oe(l)}),t.command("workflow").description("print the generated fleet workflow for a capability").argument("<capability>").option("--max-targets <n>","largest fleet the file serves","256").option("--batch-size <n>","targets per matrix job","4").option("--max-parallel <n>","matrix jobs at once","20").action((r,n,a)=>{if(!Object.hasOwn(x,r))throw new k(`${r} is not fleet-capable`,{field:"capability",code:"FLEET_CAPABILITY_UNKNOWN"});U(a).stdout(Ie({slug:r,maxTargets:C(n.maxTargets,"--max-targets"),batchSize:C(n.batchSize,"--batch-size"),maxParallel:C(n.maxParallel,"--max-parallel")}))})}i(ir,"register");function C(e,t){let r=Number(e);if(!Number.isInteger(r)||r<1)throw new k(`${t} must be a positive integer, got ${JSON.stringify(e)}`,{field:t,code:"NUMBER_INVALID"});return r}i(C,"positive");async function Ye(e,t){return e?(await xe(S(t.cwd,e),"ledger.json").catch(()=>[]))[0]:void 0}i(Ye,"ledgerIn");async function xe(e,t="result.json"){let r;try{r=await qe(e,{recursive:!0,withFileTypes:!0})}catch{return[]}return r.filter(n=>n.isFile()&&n.name===t).map(n=>_e(n.parentPath,n.name)).sort()}i(xe,"findResults");function Oe(e){let t=_(e.planned,e.outcomes),r=t.filter(n=>!["applied","noop","planned"].includes(n.status));if(r.length!==0)throw new M(`${e.capability}: ${r.length} of ${t.length} target(s) not applied: ${r.map(n=>`${n.target} (${n.status})`).join(", ")}`,{targets:t},{hint:"Nothing applied is rolled back. Fix the cause named per target and re-run with --retry-failed on this run's ledger: only those targets are acted on."})}i(Oe,"failOnPartial");export{ir as register};
