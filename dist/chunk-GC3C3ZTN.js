import { createRequire as __firebreakCreateRequire } from 'node:module';
const require = __firebreakCreateRequire(import.meta.url);
var E=["FIREBREAK_NOTIFY_SECRETS","FIREBREAK_SLACK_BOT_TOKEN","FIREBREAK_PAGERDUTY_ROUTING_KEY","FIREBREAK_PAGERDUTY_API_TOKEN","FIREBREAK_GOOGLE_CHAT_WEBHOOK","FIREBREAK_STATUSPAGE_API_KEY","FIREBREAK_WEBHOOK_URL","FIREBREAK_WEBHOOK_SECRET"],R=new Set(["declare","classify","post-update","incident-tick","close-incident"]);export{E as a,R as b};
