/**
 * Breach-notification laws of every US state, the District of Columbia, Puerto Rico, Guam and the US
 * Virgin Islands: one row per jurisdiction, written to be read by a reviewer next to the statute.
 *
 * How a row is read by the clock engine (src/core/incident/us-states.ts):
 * - `categories`: the data categories (facts `data_categories`) that are "personal information"
 *   under that law. Every law covers `personal` (name plus SSN / licence number / account number
 *   with its code, the core of every statute), `government_id` and `financial`. `phi` counts as
 *   `medical` / `health_insurance` information.
 * - `individuals.days`: a fixed outer limit in calendar days ("…but no later than N days"); `null`
 *   means the statute only says "most expedient time / without unreasonable delay", for which the
 *   engine uses the configured `undue_delay_target_hours` and says so.
 * - `regulators`: notices to the attorney general or another agency, each with its threshold of
 *   affected residents (`min` residents, inclusive) and timing.
 * - `cra`: notice to the nationwide consumer reporting agencies, with its threshold.
 * - `exemptions`: an entity regulated under HIPAA or GLBA that notifies under those rules is treated
 *   as compliant: `individuals` drops the residents' (and CRA) notice but keeps the regulators',
 *   `all` drops the state's duties entirely. Only clauses we could cite are modelled; the many
 *   "deemed compliant if it follows its primary regulator's procedures" clauses are left out on
 *   purpose (the engine then errs towards an extra notice, never a missed one) and named in `note`.
 *
 * Thresholds are "at least `min` residents": a statute saying "more than 1,000" has `min: 1001`.
 * Statutes change every year: `last_checked` is the date a row was last compared with the statute
 * as we know it, and `note` says where we are unsure. Check with counsel before relying on a row.
 */

export type LawCategory = 'personal' | 'government_id' | 'financial' | 'account_credentials' | 'biometric' | 'medical' | 'health_insurance';

export type NoticeTiming =
  /** N calendar days after the state's start (discovery or determination, as `individuals.from`). */
  | { kind: 'days'; days: number; from: 'start' | 'individuals'; or_with_individuals?: boolean }
  /** N business days (Mon–Fri, US federal holidays skipped) after the start or the residents' notice. */
  | { kind: 'business_days'; days: number; from: 'start' | 'individuals'; or_with_individuals?: boolean }
  /** N hours after the start. */
  | { kind: 'hours'; hours: number }
  /** No later than the notice to residents (the notice describes its timing and distribution). */
  | { kind: 'with_individuals' }
  /** Before the notice to residents (the engine makes it due with that notice and says "before"). */
  | { kind: 'before_individuals' }
  /** "Without unreasonable delay": the configured undue-delay target after the start. */
  | { kind: 'undue_delay' };

export interface RegulatorNotice {
  /** Obligation id suffix: `state-XX-<id>`. */
  id: string;
  recipient: string;
  /** Residents affected, inclusive: 1 = whenever residents are notified. */
  min: number;
  timing: NoticeTiming;
  /** Only when the entity is HIPAA-regulated and notified HHS (Illinois, New York). */
  after_hhs?: boolean;
  /** Only for covered entities of the New York DFS (facts `ny_dfs_covered`). */
  dfs_only?: boolean;
}

export interface BreachLaw {
  code: string;
  name: string;
  citation: string;
  last_checked: string;
  categories: readonly LawCategory[];
  individuals: { days: number | null; from: 'discovery' | 'determination' };
  regulators: readonly RegulatorNotice[];
  cra: { min: number; timing: NoticeTiming } | null;
  exemptions: ReadonlyArray<{ regime: 'hipaa' | 'glba'; scope: 'individuals' | 'all'; source: string }>;
  note?: string;
}

const CHECKED = '2026-12-02';
const BASE: readonly LawCategory[] = ['personal', 'government_id', 'financial'];
const BROAD: readonly LawCategory[] = [...BASE, 'account_credentials', 'biometric', 'medical', 'health_insurance'];
const AG = 'attorney-general';
const CRA_1000 = { min: 1001, timing: { kind: 'with_individuals' } } as const;
const DEEMED = 'Has a "deemed compliant if notified under its primary or functional federal regulator\'s rules" clause that is not modelled: the engine keeps the state duty.';

export const US_BREACH_LAWS: readonly BreachLaw[] = [
  {
    code: 'AL', name: 'Alabama', citation: 'Ala. Code §§8-38-1 to 8-38-12 (Data Breach Notification Act of 2018)', last_checked: CHECKED,
    categories: [...BASE, 'account_credentials', 'medical', 'health_insurance'],
    individuals: { days: 45, from: 'determination' },
    regulators: [{ id: AG, recipient: 'Alabama Attorney General', min: 1001, timing: { kind: 'days', days: 45, from: 'start' } }],
    cra: CRA_1000, exemptions: [], note: `§8-38-5: within 45 days of determining that a breach occurred and is reasonably likely to cause substantial harm. ${DEEMED}`,
  },
  {
    code: 'AK', name: 'Alaska', citation: 'Alaska Stat. §§45.48.010–45.48.090', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' }, regulators: [], cra: CRA_1000, exemptions: [],
    note: 'The Attorney General is told only when an entity decides, in writing, not to notify because harm is not reasonably likely (§45.48.010(c)); that decision is not modelled.',
  },
  {
    code: 'AZ', name: 'Arizona', citation: 'A.R.S. §§18-551, 18-552', last_checked: CHECKED,
    categories: BROAD, individuals: { days: 45, from: 'determination' },
    regulators: [
      { id: AG, recipient: 'Arizona Attorney General', min: 1001, timing: { kind: 'days', days: 45, from: 'start' } },
      { id: 'homeland-security', recipient: 'Director of the Arizona Department of Homeland Security', min: 1001, timing: { kind: 'days', days: 45, from: 'start' } },
    ],
    cra: { min: 1001, timing: { kind: 'days', days: 45, from: 'start' } },
    exemptions: [
      { regime: 'hipaa', scope: 'all', source: 'A.R.S. §18-552 (covered entities and business associates that comply with HIPAA are exempt)' },
      { regime: 'glba', scope: 'all', source: 'A.R.S. §18-552 (persons subject to Title V of GLBA are exempt)' },
    ],
  },
  {
    code: 'AR', name: 'Arkansas', citation: 'Ark. Code §§4-110-101 to 4-110-108', last_checked: CHECKED,
    categories: [...BASE, 'biometric', 'medical'], individuals: { days: null, from: 'determination' },
    regulators: [{ id: AG, recipient: 'Arkansas Attorney General', min: 1001, timing: { kind: 'days', days: 45, from: 'start', or_with_individuals: true } }],
    cra: null, exemptions: [], note: `§4-110-105(d): the Attorney General at the same time as residents or within 45 days of determining a reasonable likelihood of harm, whichever is first. ${DEEMED}`,
  },
  {
    code: 'CA', name: 'California', citation: 'Cal. Civ. Code §1798.82 (as amended by SB 446, 2025, in force 2026-01-01)', last_checked: CHECKED,
    categories: BROAD, individuals: { days: 30, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'California Attorney General (sample notice)', min: 501, timing: { kind: 'days', days: 15, from: 'individuals' } }],
    cra: null, exemptions: [],
    note: '§1798.82(e) deems a HIPAA covered entity compliant with the notice CONTENT rules only, not the timing: not an exemption.',
  },
  {
    code: 'CO', name: 'Colorado', citation: 'C.R.S. §6-1-716', last_checked: CHECKED,
    categories: BROAD, individuals: { days: 30, from: 'determination' },
    regulators: [{ id: AG, recipient: 'Colorado Attorney General', min: 500, timing: { kind: 'days', days: 30, from: 'start' } }],
    cra: CRA_1000, exemptions: [], note: DEEMED,
  },
  {
    code: 'CT', name: 'Connecticut', citation: 'Conn. Gen. Stat. §36a-701b (as amended by P.A. 21-59)', last_checked: CHECKED,
    categories: BROAD, individuals: { days: 60, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Connecticut Attorney General', min: 1, timing: { kind: 'with_individuals' } }],
    cra: null,
    exemptions: [{ regime: 'hipaa', scope: 'individuals', source: 'Conn. Gen. Stat. §36a-701b (HIPAA/HITECH-compliant entities are deemed compliant if they notify the Attorney General no later than residents)' }],
  },
  {
    code: 'DE', name: 'Delaware', citation: 'Del. Code tit. 6, §§12B-101 to 12B-104', last_checked: CHECKED,
    categories: BROAD, individuals: { days: 60, from: 'determination' },
    regulators: [{ id: AG, recipient: 'Delaware Attorney General', min: 501, timing: { kind: 'with_individuals' } }],
    cra: null, exemptions: [], note: DEEMED,
  },
  {
    code: 'DC', name: 'District of Columbia', citation: 'D.C. Code §§28-3851 to 28-3853 (as amended by D.C. Law 23-98, 2020)', last_checked: CHECKED,
    categories: BROAD, individuals: { days: null, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Office of the Attorney General for the District of Columbia', min: 50, timing: { kind: 'with_individuals' } }],
    cra: CRA_1000, exemptions: [], note: DEEMED,
  },
  {
    code: 'FL', name: 'Florida', citation: 'Fla. Stat. §501.171', last_checked: CHECKED,
    categories: [...BASE, 'account_credentials', 'medical', 'health_insurance'], individuals: { days: 30, from: 'determination' },
    regulators: [{ id: AG, recipient: 'Florida Department of Legal Affairs (Attorney General)', min: 500, timing: { kind: 'days', days: 30, from: 'start' } }],
    cra: CRA_1000, exemptions: [], note: `§501.171(3)–(5). ${DEEMED}`,
  },
  {
    code: 'GA', name: 'Georgia', citation: 'O.C.G.A. §§10-1-910 to 10-1-912', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' }, regulators: [],
    cra: { min: 10001, timing: { kind: 'with_individuals' } }, exemptions: [],
  },
  {
    code: 'GU', name: 'Guam', citation: '9 Guam Code Ann. §§48-10 to 48-80', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' }, regulators: [], cra: null, exemptions: [],
  },
  {
    code: 'HI', name: 'Hawaii', citation: 'Haw. Rev. Stat. §§487N-1 to 487N-4', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' },
    regulators: [{ id: 'office-of-consumer-protection', recipient: 'Hawaii Office of Consumer Protection', min: 1001, timing: { kind: 'with_individuals' } }],
    cra: CRA_1000, exemptions: [], note: DEEMED,
  },
  {
    code: 'ID', name: 'Idaho', citation: 'Idaho Code §§28-51-104 to 28-51-107', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' }, regulators: [], cra: null, exemptions: [],
    note: 'Only public agencies must tell the Attorney General (within 24 hours); private entities have no regulator notice.',
  },
  {
    code: 'IL', name: 'Illinois', citation: '815 ILCS 530/10, 530/50 (Personal Information Protection Act)', last_checked: CHECKED,
    categories: BROAD, individuals: { days: null, from: 'discovery' },
    regulators: [
      { id: AG, recipient: 'Illinois Attorney General', min: 501, timing: { kind: 'with_individuals' } },
      { id: 'attorney-general-hipaa', recipient: 'Illinois Attorney General (copy of the HHS breach notice)', min: 1, timing: { kind: 'business_days', days: 5, from: 'start' }, after_hhs: true },
    ],
    cra: null,
    exemptions: [{ regime: 'hipaa', scope: 'all', source: '815 ILCS 530/50 (HIPAA/HITECH-compliant covered entities and business associates are deemed compliant, if they also notify the Attorney General within 5 business days of notifying HHS)' }],
  },
  {
    code: 'IN', name: 'Indiana', citation: 'Ind. Code §§24-4.9-3-1 to 24-4.9-3-4 (as amended by HEA 1351, 2022)', last_checked: CHECKED,
    categories: BASE, individuals: { days: 45, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Indiana Attorney General', min: 1, timing: { kind: 'with_individuals' } }],
    cra: CRA_1000, exemptions: [], note: DEEMED,
  },
  {
    code: 'IA', name: 'Iowa', citation: 'Iowa Code §§715C.1, 715C.2', last_checked: CHECKED,
    categories: [...BASE, 'account_credentials', 'biometric'], individuals: { days: null, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Iowa Attorney General (Consumer Protection Division)', min: 501, timing: { kind: 'business_days', days: 5, from: 'individuals' } }],
    cra: null, exemptions: [], note: `Business days here skip US federal holidays; Iowa state holidays can differ. ${DEEMED}`,
  },
  {
    code: 'KS', name: 'Kansas', citation: 'K.S.A. §§50-7a01, 50-7a02', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' }, regulators: [], cra: CRA_1000, exemptions: [],
  },
  {
    code: 'KY', name: 'Kentucky', citation: 'KRS §365.732', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' }, regulators: [], cra: CRA_1000,
    exemptions: [
      { regime: 'hipaa', scope: 'all', source: 'KRS §365.732(8) (does not apply to persons subject to HIPAA)' },
      { regime: 'glba', scope: 'all', source: 'KRS §365.732(8) (does not apply to persons subject to Title V of GLBA)' },
    ],
  },
  {
    code: 'LA', name: 'Louisiana', citation: 'La. R.S. 51:3071–3077; La. Admin. Code tit. 16, pt. III, §701', last_checked: CHECKED,
    categories: [...BASE, 'biometric'], individuals: { days: 60, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Louisiana Attorney General (Consumer Protection Section)', min: 1, timing: { kind: 'days', days: 10, from: 'individuals' } }],
    cra: null, exemptions: [],
  },
  {
    code: 'ME', name: 'Maine', citation: '10 M.R.S. §§1346–1350-B', last_checked: CHECKED,
    categories: [...BASE, 'account_credentials'], individuals: { days: 30, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Maine Attorney General (or the Department of Professional and Financial Regulation for entities it regulates)', min: 1, timing: { kind: 'with_individuals' } }],
    cra: CRA_1000, exemptions: [],
  },
  {
    code: 'MD', name: 'Maryland', citation: 'Md. Code, Com. Law §§14-3501 to 14-3508 (as amended in 2022)', last_checked: CHECKED,
    categories: BROAD, individuals: { days: 45, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Maryland Attorney General', min: 1, timing: { kind: 'before_individuals' } }],
    cra: CRA_1000, exemptions: [], note: DEEMED,
  },
  {
    code: 'MA', name: 'Massachusetts', citation: 'M.G.L. c. 93H, §3', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' },
    regulators: [
      { id: AG, recipient: 'Massachusetts Attorney General', min: 1, timing: { kind: 'undue_delay' } },
      { id: 'ocabr', recipient: 'Massachusetts Office of Consumer Affairs and Business Regulation', min: 1, timing: { kind: 'undue_delay' } },
    ],
    cra: null, exemptions: [], note: 'OCABR, not the entity, forwards the notice to consumer reporting agencies.',
  },
  {
    code: 'MI', name: 'Michigan', citation: 'MCL §445.72', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' }, regulators: [], cra: CRA_1000, exemptions: [],
    note: `§445.72(9)–(10) treat HIPAA- and GLBA-regulated entities that notify under those rules as compliant; not modelled, so the duty is kept. ${DEEMED}`,
  },
  {
    code: 'MN', name: 'Minnesota', citation: 'Minn. Stat. §325E.61', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' }, regulators: [],
    cra: { min: 501, timing: { kind: 'hours', hours: 48 } }, exemptions: [],
    note: 'Consumer reporting agencies "within 48 hours" of discovering circumstances requiring notice of more than 500 persons: counted from the start of the clock, the earlier reading.',
  },
  {
    code: 'MS', name: 'Mississippi', citation: 'Miss. Code §75-24-29', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' }, regulators: [], cra: null, exemptions: [],
  },
  {
    code: 'MO', name: 'Missouri', citation: 'Mo. Rev. Stat. §407.1500', last_checked: CHECKED,
    categories: [...BASE, 'account_credentials', 'medical', 'health_insurance'], individuals: { days: null, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Missouri Attorney General', min: 1001, timing: { kind: 'with_individuals' } }],
    cra: CRA_1000, exemptions: [], note: DEEMED,
  },
  {
    code: 'MT', name: 'Montana', citation: 'Mont. Code §§30-14-1704, 2-6-1501 to 2-6-1503', last_checked: CHECKED,
    categories: [...BASE, 'medical'], individuals: { days: null, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Montana Attorney General (Office of Consumer Protection)', min: 1, timing: { kind: 'with_individuals' } }],
    cra: null, exemptions: [], note: 'Consumer reporting agencies must be coordinated with only when the notice points residents to them (§30-14-1704(3)); not modelled.',
  },
  {
    code: 'NE', name: 'Nebraska', citation: 'Neb. Rev. Stat. §§87-801 to 87-808', last_checked: CHECKED,
    categories: [...BASE, 'account_credentials', 'biometric'], individuals: { days: null, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Nebraska Attorney General', min: 1, timing: { kind: 'with_individuals' } }],
    cra: null, exemptions: [],
  },
  {
    code: 'NV', name: 'Nevada', citation: 'NRS 603A.010–603A.290 (notice: 603A.220)', last_checked: CHECKED,
    categories: [...BASE, 'account_credentials', 'medical', 'health_insurance'], individuals: { days: null, from: 'discovery' },
    regulators: [], cra: CRA_1000, exemptions: [], note: 'Nevada covers medical and health insurance identification numbers.',
  },
  {
    code: 'NH', name: 'New Hampshire', citation: 'N.H. RSA 359-C:19 to 359-C:21', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'New Hampshire Attorney General (or the primary state regulator)', min: 1, timing: { kind: 'with_individuals' } }],
    cra: CRA_1000, exemptions: [],
  },
  {
    code: 'NJ', name: 'New Jersey', citation: 'N.J.S.A. 56:8-161 to 56:8-166', last_checked: CHECKED,
    categories: [...BASE, 'account_credentials'], individuals: { days: null, from: 'discovery' },
    regulators: [{ id: 'state-police', recipient: 'New Jersey Division of State Police', min: 1, timing: { kind: 'before_individuals' } }],
    cra: CRA_1000, exemptions: [],
  },
  {
    code: 'NM', name: 'New Mexico', citation: 'N.M. Stat. §§57-12C-1 to 57-12C-12', last_checked: CHECKED,
    categories: [...BASE, 'biometric'], individuals: { days: 45, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'New Mexico Attorney General', min: 1001, timing: { kind: 'days', days: 45, from: 'start' } }],
    cra: { min: 1001, timing: { kind: 'days', days: 45, from: 'start' } },
    exemptions: [
      { regime: 'hipaa', scope: 'all', source: 'N.M. Stat. §57-12C-8 (does not apply to persons subject to HIPAA)' },
      { regime: 'glba', scope: 'all', source: 'N.M. Stat. §57-12C-8 (does not apply to persons subject to GLBA)' },
    ],
  },
  {
    code: 'NY', name: 'New York', citation: 'N.Y. Gen. Bus. Law §899-aa (as amended December 2024 and 2025)', last_checked: CHECKED,
    categories: BROAD, individuals: { days: 30, from: 'discovery' },
    regulators: [
      { id: AG, recipient: 'New York Attorney General', min: 1, timing: { kind: 'with_individuals' } },
      { id: 'department-of-state', recipient: 'New York Department of State', min: 1, timing: { kind: 'with_individuals' } },
      { id: 'state-police', recipient: 'New York Division of State Police', min: 1, timing: { kind: 'with_individuals' } },
      { id: 'department-of-financial-services', recipient: 'New York Department of Financial Services', min: 1, timing: { kind: 'with_individuals' }, dfs_only: true },
      { id: 'attorney-general-hipaa', recipient: 'New York Attorney General (copy of the HHS breach notice)', min: 1, timing: { kind: 'business_days', days: 5, from: 'start' }, after_hhs: true },
    ],
    cra: { min: 5001, timing: { kind: 'with_individuals' } },
    exemptions: [
      { regime: 'hipaa', scope: 'individuals', source: 'N.Y. Gen. Bus. Law §899-aa(2)(b) (notice under HIPAA needs no second notice to residents; the AG, Department of State and State Police are still told)' },
      { regime: 'glba', scope: 'individuals', source: 'N.Y. Gen. Bus. Law §899-aa(2)(b) (notice under GLBA needs no second notice to residents; the AG, Department of State and State Police are still told)' },
    ],
    note: '§899-aa(8)(a): the AG, Department of State and Division of State Police are told of the timing, content and distribution of the notices whenever any New Yorker is notified, and DFS too for DFS-covered entities (chapter amendment of 14 February 2025; DFS\'s own 72-hour rule is 23 NYCRR 500.17). Residents within 30 days of discovery since 21 December 2024. Medical and health insurance information are "private information" for breaches from 21 March 2025 (S2659-B, S2376-B).',
  },
  {
    code: 'NC', name: 'North Carolina', citation: 'N.C. Gen. Stat. §§75-61, 75-65', last_checked: CHECKED,
    categories: [...BASE, 'account_credentials', 'biometric'], individuals: { days: null, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'North Carolina Attorney General (Consumer Protection Division)', min: 1, timing: { kind: 'with_individuals' } }],
    cra: CRA_1000, exemptions: [],
  },
  {
    code: 'ND', name: 'North Dakota', citation: 'N.D. Cent. Code §§51-30-01 to 51-30-07', last_checked: CHECKED,
    categories: [...BASE, 'medical', 'health_insurance'], individuals: { days: null, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'North Dakota Attorney General', min: 251, timing: { kind: 'with_individuals' } }],
    cra: null, exemptions: [], note: DEEMED,
  },
  {
    code: 'OH', name: 'Ohio', citation: 'Ohio Rev. Code §§1349.19 to 1349.192', last_checked: CHECKED,
    categories: BASE, individuals: { days: 45, from: 'discovery' }, regulators: [], cra: CRA_1000, exemptions: [], note: DEEMED,
  },
  {
    code: 'OK', name: 'Oklahoma', citation: 'Okla. Stat. tit. 24, §§161–166 (as amended by SB 626, 2025, in force 2026-01-01)', last_checked: CHECKED,
    categories: [...BASE, 'biometric'], individuals: { days: null, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Oklahoma Attorney General', min: 500, timing: { kind: 'days', days: 60, from: 'individuals' } }],
    cra: null,
    exemptions: [{ regime: 'hipaa', scope: 'individuals', source: 'Okla. Stat. tit. 24, §§161–166 as amended by SB 626 (HIPAA-compliant entities are exempt from the residents\' notice if they notify the Attorney General)' }],
    note: 'The Attorney General threshold is 1,000 residents for credit bureaus (not modelled: 500 applies). Applies to breaches discovered on or after 2026-01-01.',
  },
  {
    code: 'OR', name: 'Oregon', citation: 'ORS 646A.600–646A.628 (notice: 646A.604)', last_checked: CHECKED,
    categories: BROAD, individuals: { days: 45, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Oregon Attorney General', min: 251, timing: { kind: 'days', days: 45, from: 'start' } }],
    cra: CRA_1000,
    exemptions: [{ regime: 'hipaa', scope: 'individuals', source: 'ORS 646A.604 (HIPAA-compliant covered entities are deemed compliant with the residents\' notice; the Attorney General notice still applies)' }],
  },
  {
    code: 'PA', name: 'Pennsylvania', citation: '73 P.S. §§2301–2330 (Breach of Personal Information Notification Act, as amended by Act 151 of 2022 and Act 33 of 2024)', last_checked: CHECKED,
    categories: [...BASE, 'account_credentials'], individuals: { days: null, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Pennsylvania Attorney General', min: 501, timing: { kind: 'with_individuals' } }],
    cra: { min: 500, timing: { kind: 'with_individuals' } }, exemptions: [],
    note: `Act 33 of 2024 (in force 2024-09-26): the Attorney General concurrently with residents when more than 500 (not for insurers under 40 Pa.C.S. Ch. 45); consumer reporting agencies at 500 or more; 12 months of credit monitoring when SSNs, bank account or licence numbers are involved. Medical and health insurance information count only when held by a state agency or its contractor. ${DEEMED}`,
  },
  {
    code: 'PR', name: 'Puerto Rico', citation: '10 L.P.R.A. §§4051–4055 (Act 111-2005)', last_checked: CHECKED,
    categories: [...BASE, 'medical'], individuals: { days: null, from: 'discovery' },
    regulators: [{ id: 'daco', recipient: 'Puerto Rico Department of Consumer Affairs (DACO)', min: 1, timing: { kind: 'days', days: 10, from: 'start' } }],
    cra: null, exemptions: [], note: 'DACO within 10 days of detecting the breach; DACO announces it publicly within 24 hours.',
  },
  {
    code: 'RI', name: 'Rhode Island', citation: 'R.I. Gen. Laws §§11-49.3-1 to 11-49.3-6', last_checked: CHECKED,
    categories: [...BASE, 'account_credentials', 'medical', 'health_insurance'], individuals: { days: 45, from: 'determination' },
    regulators: [{ id: AG, recipient: 'Rhode Island Attorney General', min: 501, timing: { kind: 'with_individuals' } }],
    cra: { min: 501, timing: { kind: 'with_individuals' } }, exemptions: [], note: `§11-49.3-4: 45 calendar days after confirmation of the breach. ${DEEMED}`,
  },
  {
    code: 'SC', name: 'South Carolina', citation: 'S.C. Code §39-1-90', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' },
    regulators: [{ id: 'department-of-consumer-affairs', recipient: 'South Carolina Department of Consumer Affairs', min: 1001, timing: { kind: 'with_individuals' } }],
    cra: CRA_1000, exemptions: [],
  },
  {
    code: 'SD', name: 'South Dakota', citation: 'SDCL §§22-40-19 to 22-40-26', last_checked: CHECKED,
    categories: [...BASE, 'account_credentials', 'biometric', 'medical'], individuals: { days: 60, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'South Dakota Attorney General', min: 251, timing: { kind: 'with_individuals' } }],
    cra: { min: 1, timing: { kind: 'with_individuals' } }, exemptions: [], note: `§22-40-24 names no threshold for consumer reporting agencies (some summaries say more than 1,000): modelled as any breach, the earlier reading. §22-40-23 deems federally regulated entities (HIPAA, GLBA) compliant if they notify under their rules; not modelled. ${DEEMED}`,
  },
  {
    code: 'TN', name: 'Tennessee', citation: 'Tenn. Code §47-18-2107', last_checked: CHECKED,
    categories: BASE, individuals: { days: 45, from: 'discovery' }, regulators: [], cra: CRA_1000,
    exemptions: [
      { regime: 'hipaa', scope: 'all', source: 'Tenn. Code §47-18-2107(i) (does not apply to HIPAA covered entities)' },
      { regime: 'glba', scope: 'all', source: 'Tenn. Code §47-18-2107(i) (does not apply to persons subject to Title V of GLBA)' },
    ],
  },
  {
    code: 'TX', name: 'Texas', citation: 'Tex. Bus. & Com. Code §§521.002, 521.053 (as amended by SB 768, 2023)', last_checked: CHECKED,
    categories: [...BASE, 'medical', 'health_insurance'], individuals: { days: 60, from: 'determination' },
    regulators: [{ id: AG, recipient: 'Texas Attorney General', min: 250, timing: { kind: 'days', days: 30, from: 'start' } }],
    cra: { min: 10001, timing: { kind: 'with_individuals' } }, exemptions: [],
    note: '"Sensitive personal information" includes information about health, health care or its payment (§521.002(a)(2)(B)).',
  },
  {
    code: 'VI', name: 'US Virgin Islands', citation: '14 V.I.C. §§2208–2212', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' }, regulators: [], cra: null, exemptions: [],
  },
  {
    code: 'UT', name: 'Utah', citation: 'Utah Code §§13-44-101 to 13-44-301 (notice: 13-44-202, as amended in 2023)', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' },
    regulators: [
      { id: AG, recipient: 'Utah Attorney General', min: 500, timing: { kind: 'with_individuals' } },
      { id: 'cyber-center', recipient: 'Utah Cyber Center', min: 500, timing: { kind: 'with_individuals' } },
    ],
    cra: { min: 1000, timing: { kind: 'with_individuals' } }, exemptions: [], note: DEEMED,
  },
  {
    code: 'VT', name: 'Vermont', citation: '9 V.S.A. §§2430, 2435', last_checked: CHECKED,
    categories: BROAD, individuals: { days: 45, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Vermont Attorney General (or the Department of Financial Regulation for its licensees)', min: 1, timing: { kind: 'business_days', days: 14, from: 'start', or_with_individuals: true } }],
    cra: CRA_1000, exemptions: [], note: `Preliminary notice within 14 business days of discovery or when residents are notified, whichever is sooner (§2435(b)(3)). ${DEEMED}`,
  },
  {
    code: 'VA', name: 'Virginia', citation: 'Va. Code §18.2-186.6; §32.1-127.1:05 (medical information)', last_checked: CHECKED,
    categories: [...BASE, 'medical', 'health_insurance'], individuals: { days: null, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Virginia Attorney General', min: 1, timing: { kind: 'with_individuals' } }],
    cra: CRA_1000,
    exemptions: [{ regime: 'hipaa', scope: 'all', source: 'Va. Code §32.1-127.1:05 (the medical-information law does not apply to HIPAA covered entities and business associates; §18.2-186.6 does not cover medical data)' }],
    note: 'The medical-information law (§32.1-127.1:05) also names the Commissioner of Health for some entities; not modelled.',
  },
  {
    code: 'WA', name: 'Washington', citation: 'RCW 19.255.005–19.255.040 (notice: 19.255.010)', last_checked: CHECKED,
    categories: BROAD, individuals: { days: 30, from: 'discovery' },
    regulators: [{ id: AG, recipient: 'Washington Attorney General', min: 501, timing: { kind: 'days', days: 30, from: 'start' } }],
    cra: null, exemptions: [], note: DEEMED,
  },
  {
    code: 'WV', name: 'West Virginia', citation: 'W. Va. Code §§46A-2A-101 to 46A-2A-105', last_checked: CHECKED,
    categories: BASE, individuals: { days: null, from: 'discovery' }, regulators: [], cra: CRA_1000, exemptions: [], note: DEEMED,
  },
  {
    code: 'WI', name: 'Wisconsin', citation: 'Wis. Stat. §134.98', last_checked: CHECKED,
    categories: [...BASE, 'biometric'], individuals: { days: 45, from: 'discovery' }, regulators: [], cra: CRA_1000, exemptions: [],
  },
  {
    code: 'WY', name: 'Wyoming', citation: 'Wyo. Stat. §§40-12-501, 40-12-502', last_checked: CHECKED,
    categories: BROAD, individuals: { days: null, from: 'discovery' }, regulators: [], cra: null, exemptions: [], note: DEEMED,
  },
];
