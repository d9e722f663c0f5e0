// The ConText assertion pass: each fixture marks one mention with [[...]] and states the assertion it gets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AnnotatedMention, MentionValue, PhenotypeType } from '@cancerllm/protocol';
import { assignAssertions, compileRules } from '../src/assertion/index.ts';
import { parseNote } from '../src/note/index.ts';

/** Asserts the [[marked]] span of `fixture` as a mention of `type`; returns its assertion and trigger. */
function assertionOf(fixture: string, type: PhenotypeType = 'histology', value: MentionValue = {}): string {
  const start = fixture.indexOf('[[');
  const end = fixture.indexOf(']]') - 2;
  const text = fixture.replace('[[', '').replace(']]', '');
  const mention: AnnotatedMention = { start, end, text: text.slice(start, end), type, value, assertion: 'present' };
  const [out] = assignAssertions(parseNote(text), [mention]);
  return out!.assertion;
}

test('negated: a forward negation trigger', () => {
  assert.equal(assertionOf('No [[osseous metastases]].', 'metastasis_site'), 'negated');
  assert.equal(assertionOf('NEGATIVE FOR [[MALIGNANCY]].'), 'negated');
  assert.equal(
    assertionOf('No renal vein thrombus, adenopathy or [[distant metastatic disease]].', 'metastasis_site'),
    'negated',
  );
});

test('negated: a denied or never-received past treatment, though "prior" alone is historical', () => {
  assert.equal(assertionOf('Denies prior [[chemotherapy]].', 'treatment'), 'negated');
  assert.equal(assertionOf('Never received [[chemotherapy]].', 'treatment'), 'negated');
  assert.equal(assertionOf('Prior [[chemotherapy]] in 2019.', 'treatment'), 'historical');
});

test('a year after "since" does not make a mention historical: the state holds to this day', () => {
  assert.equal(assertionOf('[[NED]] since 2019.', 'disease_status', { status: 'NED' }), 'present');
  assert.equal(assertionOf('Breast [[cancer]] 2015.'), 'historical');
});

test('negated: a backward trigger after the mention', () => {
  assert.equal(assertionOf('[[Lymphovascular invasion]]: Not identified', 'lvi', { status: 'absent' }), 'negated');
  assert.equal(assertionOf('[[Pembrolizumab]] is not indicated up front.', 'treatment'), 'negated');
});

test('a negative result value stays present: receptors, biomarkers, margins, node counts', () => {
  assert.equal(
    assertionOf('No [[ALK]], ROS1 or RET fusions.', 'biomarker', { marker: 'ALK', result: 'negative' }),
    'present',
  );
  assert.equal(
    assertionOf('[[HER2 negative]] (IHC 1+).', 'receptor_status', { receptor: 'HER2', status: 'negative' }),
    'present',
  );
  assert.equal(
    assertionOf('SEVEN LYMPH NODES, NEGATIVE FOR METASTATIC CARCINOMA ([[0/7]]).', 'lymph_nodes', {
      positive: 0,
      examined: 7,
    }),
    'present',
  );
  assert.equal(assertionOf('[[Margins negative]].', 'margin_status', { status: 'negative' }), 'present');
});

test('a status that is itself a negative result (NED) is not negated by a nearby cue', () => {
  assert.equal(
    assertionOf('Restaging CT without new lesions, [[NED]].', 'disease_status', { status: 'NED' }),
    'present',
  );
  assert.equal(
    assertionOf('Restaging CT without [[progression]].', 'disease_status', { status: 'progression' }),
    'negated',
  );
});

test('pseudo-triggers block the negation inside them', () => {
  assert.equal(assertionOf('No change in the [[hepatic metastases]].', 'metastasis_site'), 'present');
  assert.equal(assertionOf('Not only [[adenocarcinoma]] but also squamous features.'), 'present');
  assert.equal(assertionOf('Gram negative rods; [[adenocarcinoma]] confirmed.'), 'present');
  assert.equal(assertionOf('No further [[chemotherapy]] changes were needed.', 'treatment'), 'present');
  assert.equal(assertionOf('Never smoker with [[adenocarcinoma]] of the lung.'), 'present');
});

test('"not ruled out" and "cannot be excluded" assert possible, not negated', () => {
  assert.equal(assertionOf('[[Pulmonary metastasis]] not ruled out.', 'metastasis_site'), 'possible');
  assert.equal(assertionOf('Early [[recurrence]] cannot be excluded.', 'disease_status'), 'possible');
});

test('termination terms end a scope', () => {
  assert.equal(assertionOf('No hydronephrosis, but [[liver metastases]] are present.', 'metastasis_site'), 'present');
  assert.equal(assertionOf('No ascites; [[omental caking]] noted.', 'metastasis_site'), 'present');
  assert.equal(assertionOf('Likely hemangioma, however [[metastasis]] is seen on MRI.', 'metastasis_site'), 'present');
});

test('a scope ends at the sentence edge', () => {
  assert.equal(assertionOf('No ascites. [[Peritoneal nodularity]] is present.', 'metastasis_site'), 'present');
});

test('a scope ends after its maximum number of tokens', () => {
  const far =
    'No ascites and the patient tolerated the procedure well with stable vital signs throughout and [[nodal disease]].';
  assert.equal(assertionOf(far, 'lymph_nodes'), 'present');
});

test('possible: uncertainty cues', () => {
  assert.equal(assertionOf('Nodes suspicious for [[nodal metastases]].', 'lymph_nodes'), 'possible');
  assert.equal(assertionOf('Mass, most consistent with pancreatic [[adenocarcinoma]].'), 'possible');
  assert.equal(assertionOf('Probable [[HCC]].'), 'possible');
});

test('historical: past-history cues, with their scope running through a list', () => {
  assert.equal(
    assertionOf('H/o right breast DCIS in 2014, s/p [[lumpectomy]] and radiation.', 'treatment'),
    'historical',
  );
  assert.equal(
    assertionOf('H/o right breast DCIS in 2014, s/p lumpectomy and [[radiation]].', 'treatment'),
    'historical',
  );
  assert.equal(assertionOf('Completed adjuvant [[CAPOX]] x4.', 'treatment'), 'historical');
  assert.equal(assertionOf('Papillary thyroid [[carcinoma]] 2011, resected.'), 'historical');
});

test('historical: an earlier value in a trend', () => {
  assert.equal(assertionOf('CEA 3.1 ng/mL (down from [[48.2 ng/mL]] in 09/2024).', 'biomarker'), 'historical');
  assert.equal(assertionOf('Nodal mass ([[7.8]] → 3.1 cm).', 'tumor_size'), 'historical');
  assert.equal(assertionOf('Nodal mass (7.8 → [[3.1 cm]]).', 'tumor_size'), 'present');
});

test('past tense and comparisons with prior imaging do not make current findings historical', () => {
  assert.equal(assertionOf('The tumor was [[2.3 cm]] in greatest dimension.', 'tumor_size'), 'present');
  assert.equal(
    assertionOf('Compared with prior CT, the [[liver metastases]] are smaller.', 'metastasis_site'),
    'present',
  );
  assert.equal(assertionOf('[[PSA was undetectable]] through 2023.', 'biomarker'), 'historical');
});

test('a disease status after a past treatment stays present ("s/p lumpectomy, NED")', () => {
  assert.equal(
    assertionOf('H/o left breast cancer 2009 s/p lumpectomy + radiation, [[NED]].', 'disease_status'),
    'present',
  );
});

test('a treatment the cancer progressed on is historical; the current one is present', () => {
  assert.equal(assertionOf('Progressed on [[FOLFOX]], now on FOLFIRI.', 'treatment'), 'historical');
  assert.equal(assertionOf('Progressed on FOLFOX, now on [[FOLFIRI]].', 'treatment'), 'present');
});

test('"now" ends a historical scope', () => {
  assert.equal(assertionOf('S/p chemoradiation, now with residual [[adenocarcinoma]].'), 'present');
});

test('hypothetical: conditionals and plans', () => {
  assert.equal(assertionOf('If HER2 is amplified, will start [[TCHP]].', 'treatment'), 'hypothetical');
  assert.equal(assertionOf('If [[progression]], will start encorafenib.', 'disease_status'), 'hypothetical');
  assert.equal(assertionOf('Plan to start [[osimertinib]] 80 mg daily.', 'treatment'), 'hypothetical');
  assert.equal(assertionOf('Adjuvant [[nivolumab]] for 1 year is recommended.', 'treatment'), 'hypothetical');
  assert.equal(assertionOf('Consider [[SBRT]] at tumor board.', 'treatment'), 'hypothetical');
});

test('a conditional dominates a closer negation ("if no progression")', () => {
  assert.equal(assertionOf('If no [[progression]], plan resection.', 'disease_status'), 'hypothetical');
});

test('a treatment in a plan section is hypothetical unless it is under way', () => {
  assert.equal(
    assertionOf('ASSESSMENT:\nStable.\n\nPLAN:\n1. Definitive [[chemoradiation]] to the pelvis.', 'treatment'),
    'hypothetical',
  );
  assert.equal(assertionOf('PLAN:\n1. Continue [[osimertinib]] 80 mg daily.', 'treatment'), 'present');
  assert.equal(assertionOf('PLAN:\n1. Zoledronic acid for [[bone metastases]].', 'metastasis_site'), 'present');
});

test('an uncertain treatment is hypothetical, not possible', () => {
  assert.equal(assertionOf('[[Partial nephrectomy]] may be feasible.', 'treatment'), 'hypothetical');
});

test('family: a relative, or a family history section', () => {
  assert.equal(assertionOf('Mother with [[breast cancer]] at 45.', 'primary_site'), 'family');
  assert.equal(assertionOf('Maternal aunt with [[ovarian cancer]].', 'primary_site'), 'family');
  assert.equal(
    assertionOf('FAMILY HISTORY:\nColon cancer in a cousin. [[Breast cancer]] at 60.', 'primary_site'),
    'family',
  );
  assert.equal(
    assertionOf('After discussion with the patient and his daughter, [[carboplatin]] was given.', 'treatment'),
    'present',
  );
});

test('a past medical history section makes its mentions historical unless negated', () => {
  assert.equal(assertionOf('PAST MEDICAL HISTORY:\n- Stage I [[seminoma]] of the left testis.'), 'historical');
  assert.equal(assertionOf('PAST MEDICAL HISTORY: Migraine. No prior [[malignancy]].'), 'negated');
});

test('the cue that set the assertion is recorded as provenance.trigger', () => {
  const text = 'No evidence of recurrence.';
  const mention: AnnotatedMention = {
    start: 15,
    end: 25,
    text: 'recurrence',
    type: 'disease_status',
    value: {},
    assertion: 'present',
  };
  const [out] = assignAssertions(parseNote(text), [mention]);
  assert.equal(out!.provenance?.trigger, 'No evidence of');
  assert.equal(mention.assertion, 'present', 'the input mention is not changed');
});

test('malformed rule data is rejected with the rule named', () => {
  assert.throws(
    () => compileRules({ maxScope: 5, rules: [{ literal: 'no', category: 'nope' }] }),
    /rule 0 has unknown category/,
  );
  assert.throws(
    () => compileRules({ maxScope: 5, rules: [{ literal: ' ', category: 'negated' }] }),
    /rule 0 needs a literal/,
  );
});
