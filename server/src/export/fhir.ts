// FHIR R4 export using mCODE (STU3) profiles where they fit: the primary cancer condition (site, histology with
// ICD-O-3 codes), the TNM stage group with its T, N and M categories, and tumour marker tests (receptors and other
// biomarkers). Only `present` mentions are exported: negated, family or hypothetical statements are not facts about
// this patient's cancer. Types come from @medplum/fhirtypes (R4), so the compiler checks every resource's shape.
import { createHash } from 'node:crypto';
import type { Bundle, BundleEntry, CodeableConcept, Condition, Extension, Observation, Patient, Reference } from '@medplum/fhirtypes';
import type { Mention } from '@cancerllm/protocol';

const MCODE = 'http://hl7.org/fhir/us/mcode/StructureDefinition';
const LOINC = 'http://loinc.org';
const SNOMED = 'http://snomed.info/sct';
const ICDO3 = 'http://terminology.hl7.org/CodeSystem/icd-o-3';

/** LOINC codes of the TNM observations, clinical and pathologic (mCODE's TNM value sets). */
const TNM_CODES = {
  stage: { clinical: ['21908-9', 'Stage group.clinical Cancer'], pathologic: ['21902-2', 'Stage group.pathology Cancer'] },
  t: { clinical: ['21905-5', 'Primary tumor.clinical Cancer'], pathologic: ['21899-0', 'Primary tumor.pathology Cancer'] },
  n: { clinical: ['21906-3', 'Regional lymph nodes.clinical Cancer'], pathologic: ['21900-6', 'Regional lymph nodes.pathology Cancer'] },
  m: { clinical: ['21907-1', 'Distant metastases.clinical Cancer'], pathologic: ['21901-4', 'Distant metastases.pathology Cancer'] },
} as const;

const RECEPTOR_CODES: Record<string, [string, string]> = {
  ER: ['16112-5', 'Estrogen receptor [Interpretation] in Tissue'],
  PR: ['16113-3', 'Progesterone receptor [Interpretation] in Tissue'],
  HER2: ['48676-1', 'HER2 [Interpretation] in Tissue'],
};

const RESULT_CODES: Record<string, [string, string]> = {
  positive: ['10828004', 'Positive'],
  negative: ['260385009', 'Negative'],
};

export interface FhirExportOptions {
  /** A stable id for the note (e.g. its file name); resource ids derive from it. */
  noteId: string;
  /** Who the resources are about; the note's patient is not known to the analyzer. */
  subject?: Reference<Patient>;
}

export function toFhirBundle(mentions: readonly Mention[], options: FhirExportOptions): Bundle {
  const present = mentions.filter((m) => m.assertion === 'present');
  const subject: Reference<Patient> = options.subject ?? { display: `Patient of note ${options.noteId}` };
  const idBase = options.noteId.replace(/[^A-Za-z0-9.-]/g, '-').slice(0, 40) || 'note';
  const entries: BundleEntry[] = [];
  const condition = primaryCancerCondition(present, subject, `${idBase}-condition`);
  if (condition) entries.push(entry(condition));
  const tnm = present.filter((m) => m.type === 'tnm').at(-1);
  const stage = present.filter((m) => m.type === 'stage_group').at(-1);
  if (tnm || stage) entries.push(...stageGroup(tnm, stage, subject, idBase, condition));
  present.forEach((m, index) => {
    if (m.type === 'receptor_status' || m.type === 'biomarker') entries.push(entry(tumorMarker(m, subject, `${idBase}-marker-${index}`)));
  });
  return { resourceType: 'Bundle', type: 'collection', entry: entries };
}

function primaryCancerCondition(present: readonly Mention[], subject: Reference<Patient>, id: string): Condition | undefined {
  const site = present.find((m) => m.type === 'primary_site');
  const histology = present.find((m) => m.type === 'histology');
  if (!site && !histology) return undefined;
  const laterality = present.find((m) => m.type === 'laterality')?.value.laterality;
  const siteName = site ? String(site.value.site ?? site.text) : undefined;
  const histologyName = histology ? String(histology.value.histology ?? histology.text) : undefined;
  const extension: Extension[] = [];
  if (histology) {
    extension.push({
      url: `${MCODE}/mcode-histology-morphology-behavior`,
      valueCodeableConcept: concept(ICDO3, histology.value.icdo3, histologyName ?? ''),
    });
  }
  return {
    resourceType: 'Condition',
    id,
    meta: { profile: [`${MCODE}/mcode-primary-cancer-condition`] },
    ...(extension.length > 0 ? { extension } : {}),
    clinicalStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }] },
    verificationStatus: { coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }] },
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-category', code: 'problem-list-item' }] }],
    code: { text: [laterality, siteName, histologyName].filter(Boolean).join(' ') },
    ...(site ? { bodySite: [concept(ICDO3, site.value.icdo3, [laterality, siteName].filter(Boolean).join(' '))] } : {}),
    subject,
  };
}

function stageGroup(tnm: Mention | undefined, stage: Mention | undefined, subject: Reference<Patient>, idBase: string, condition: Condition | undefined): BundleEntry[] {
  const prefix = String(tnm?.value.prefix ?? '');
  const kind = prefix.includes('p') ? 'pathologic' : 'clinical';
  const focus = condition ? { focus: [{ reference: `Condition/${condition.id}` }] } : {};
  const categories: Observation[] = [];
  for (const part of ['t', 'n', 'm'] as const) {
    const value = tnm?.value[part];
    if (value === undefined) continue;
    const [code, display] = TNM_CODES[part][kind];
    const profile = { t: 'mcode-tnm-primary-tumor-category', n: 'mcode-tnm-regional-nodes-category', m: 'mcode-tnm-distant-metastases-category' }[part];
    categories.push({
      resourceType: 'Observation',
      id: `${idBase}-tnm-${part}`,
      meta: { profile: [`${MCODE}/${profile}`] },
      status: 'final',
      category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
      code: { coding: [{ system: LOINC, code, display }] },
      subject,
      ...focus,
      valueCodeableConcept: { text: `${prefix}${String(value)}` },
    });
  }
  const [code, display] = TNM_CODES.stage[kind];
  const group: Observation = {
    resourceType: 'Observation',
    id: `${idBase}-stage-group`,
    meta: { profile: [`${MCODE}/mcode-tnm-stage-group`] },
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey' }] }],
    code: { coding: [{ system: LOINC, code, display }] },
    subject,
    ...focus,
    valueCodeableConcept: { text: stage ? `Stage ${String(stage.value.stage ?? stage.text)}` : (tnm?.text ?? '') },
    ...(categories.length > 0 ? { hasMember: categories.map((o) => ({ reference: `Observation/${o.id}` })) } : {}),
  };
  return [group, ...categories].map(entry);
}

function tumorMarker(mention: Mention, subject: Reference<Patient>, id: string): Observation {
  const name = String(mention.value.receptor ?? mention.value.marker ?? mention.text);
  const loinc = RECEPTOR_CODES[name];
  const result = String(mention.value.status ?? mention.value.result ?? '');
  const resultCode = RESULT_CODES[result];
  const numeric = typeof mention.value.percent === 'number' ? { value: mention.value.percent, unit: '%' } : typeof mention.value.numeric === 'number' ? { value: mention.value.numeric, unit: String(mention.value.unit ?? '') } : undefined;
  const observation: Observation = {
    resourceType: 'Observation',
    id,
    meta: { profile: [`${MCODE}/mcode-tumor-marker-test`] },
    status: 'final',
    category: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'laboratory' }] }],
    code: loinc ? { coding: [{ system: LOINC, code: loinc[0], display: loinc[1] }], text: name } : { text: name },
    subject,
  };
  if (resultCode) observation.valueCodeableConcept = { coding: [{ system: SNOMED, code: resultCode[0], display: resultCode[1] }], text: result };
  else if (numeric) observation.valueQuantity = numeric.unit ? { value: numeric.value, unit: numeric.unit } : { value: numeric.value };
  else if (result) observation.valueCodeableConcept = { text: result };
  if (resultCode && numeric) observation.component = [{ code: { text: `${name} ${numeric.unit === '%' ? 'percent' : 'value'}` }, valueQuantity: numeric.unit ? { value: numeric.value, unit: numeric.unit } : { value: numeric.value } }];
  return observation;
}

function concept(system: string, code: string | number | undefined, text: string): CodeableConcept {
  return code === undefined ? { text } : { coding: [{ system, code: String(code) }], text };
}

/** Bundle entries need a full URL; a name-based UUID keeps exports of the same note identical run to run. */
function entry(resource: Condition | Observation): BundleEntry {
  const hex = createHash('sha1').update(`${resource.resourceType}/${resource.id ?? ''}`).digest('hex');
  const uuid = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.charAt(16), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return { fullUrl: `urn:uuid:${uuid}`, resource };
}
