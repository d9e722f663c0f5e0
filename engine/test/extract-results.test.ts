import assert from 'node:assert/strict';
import { test } from 'node:test';
import { found } from './found.ts';

test('receptor results with percent, IHC and FISH', () => {
  assert.deepEqual(
    found(
      'ER positive (95%), PR: Positive, 15%, weak. HER2: Negative (IHC 2+; FISH not amplified).',
      'receptor_status',
    ),
    [
      { text: 'ER positive (95%)', value: { receptor: 'ER', status: 'positive', percent: 95 } },
      { text: 'PR: Positive, 15%, weak', value: { receptor: 'PR', status: 'positive', percent: 15 } },
      {
        text: 'HER2: Negative (IHC 2+; FISH not amplified)',
        value: { receptor: 'HER2', status: 'negative', ihc: '2+', fish: 'not amplified' },
      },
    ],
  );
});

test('slash forms: ER+/PR+/HER2- is three mentions, ER/PR negative is two on one span', () => {
  assert.deepEqual(found('ER+/PR+/HER2-; ER/PR negative', 'receptor_status'), [
    { text: 'ER+', value: { receptor: 'ER', status: 'positive' } },
    { text: 'PR+', value: { receptor: 'PR', status: 'positive' } },
    { text: 'HER2-', value: { receptor: 'HER2', status: 'negative' } },
    { text: 'ER/PR negative', value: { receptor: 'ER', status: 'negative' } },
    { text: 'ER/PR negative', value: { receptor: 'PR', status: 'negative' } },
  ]);
});

test('ER-low and HER2 equivocal', () => {
  assert.deepEqual(
    found('ER-low (5%), HER2 IHC 2+ (equivocal)', 'receptor_status').map((m) => m.value),
    [
      { receptor: 'ER', status: 'low', percent: 5 },
      { receptor: 'HER2', status: 'equivocal', ihc: '2+' },
    ],
  );
});

test('results written as a number: a percentage, or a HER2 score', () => {
  assert.deepEqual(
    found(
      'ER 95%, PR <1%, AR 80% positive; ER 5%, PR 0% positive. HER2 1+; HER2 (3+). Ki-67 20%; ER 120%',
      'receptor_status',
    ).map((m) => [m.text, m.value]),
    [
      ['ER 95%', { receptor: 'ER', status: 'positive', percent: 95 }],
      ['PR <1%', { receptor: 'PR', status: 'negative' }],
      ['AR 80% positive', { receptor: 'AR', status: 'positive', percent: 80 }],
      // ASCO/CAP 2020: ER in 1–10 % of nuclei is "ER low positive".
      ['ER 5%', { receptor: 'ER', status: 'low', percent: 5 }],
      // "positive" after a percentage counts the stained nuclei: none here.
      ['PR 0% positive', { receptor: 'PR', status: 'negative', percent: 0 }],
      ['HER2 1+', { receptor: 'HER2', status: 'negative', ihc: '1+' }],
      ['HER2 (3+)', { receptor: 'HER2', status: 'positive', ihc: '3+' }],
    ],
  );
});

test('HER2/neu is HER2', () => {
  assert.deepEqual(
    found('HER2/neu negative; HER2/neu is amplified', 'receptor_status').map((m) => m.value),
    [
      { receptor: 'HER2', status: 'negative' },
      { receptor: 'HER2', status: 'positive', fish: 'amplified' },
    ],
  );
});

test('"PR" as partial response is not a receptor', () => {
  assert.deepEqual(found('PR on 01/2025 and 04/2025 scans.', 'receptor_status'), []);
});

test('biomarkers: variants, signs, numbers with units', () => {
  assert.deepEqual(
    found('EGFR exon 19 deletion; BRAF V600E; TTF-1+; CD20−; PD-L1 TPS 30%; CEA 3.1 ng/mL; MSI-H.', 'biomarker'),
    [
      { text: 'EGFR exon 19 deletion', value: { marker: 'EGFR', result: 'exon 19 deletion' } },
      { text: 'BRAF V600E', value: { marker: 'BRAF', result: 'V600E' } },
      { text: 'TTF-1+', value: { marker: 'TTF-1', result: 'positive' } },
      { text: 'CD20−', value: { marker: 'CD20', result: 'negative' } },
      { text: 'PD-L1 TPS 30%', value: { marker: 'PD-L1', numeric: 30, unit: '%', result: 'positive' } },
      { text: 'CEA 3.1 ng/mL', value: { marker: 'CEA', numeric: 3.1, unit: 'ng/mL' } },
      { text: 'MSI-H', value: { marker: 'MSI', result: 'high' } },
    ],
  );
});

test('an alteration named with its test result: the result, not the alteration', () => {
  const text =
    'EGFR mutation negative. KRAS mutation not detected. ALK rearrangement negative by FISH. ALK fusion not ' +
    'detected. MET amplification: positive. No BRAF mutations were detected.';
  assert.deepEqual(
    found(text, 'biomarker').map((m) => [m.text, m.value]),
    [
      ['EGFR mutation negative', { marker: 'EGFR', result: 'negative' }],
      ['KRAS mutation not detected', { marker: 'KRAS', result: 'negative' }],
      ['ALK rearrangement negative', { marker: 'ALK', result: 'not rearranged' }],
      ['ALK fusion not detected', { marker: 'ALK', result: 'negative' }],
      ['MET amplification: positive', { marker: 'MET', result: 'amplified' }],
      ['BRAF mutations were detected', { marker: 'BRAF', result: 'negative' }],
    ],
  );
});

test('a number after "expression" or "index"', () => {
  assert.deepEqual(
    found('PD-L1 expression 50%. Ki-67 proliferation index: 30%.', 'biomarker').map((m) => m.value),
    [
      { marker: 'PD-L1', numeric: 50, unit: '%', result: 'positive' },
      { marker: 'Ki-67', numeric: 30, unit: '%' },
    ],
  );
});

test('a negative list gives one mention per marker', () => {
  assert.deepEqual(found('No ALK, ROS1 or RET fusions.', 'biomarker'), [
    { text: 'ALK', value: { marker: 'ALK', result: 'negative' } },
    { text: 'ROS1', value: { marker: 'ROS1', result: 'negative' } },
    { text: 'RET', value: { marker: 'RET', result: 'negative' } },
  ]);
});

test('a list with a trailing result: wild type, loss', () => {
  assert.deepEqual(
    found('KRAS and NRAS wild-type. MMR IHC: loss of MLH1 and PMS2.', 'biomarker').map((m) => m.value),
    [
      { marker: 'KRAS', result: 'wild type' },
      { marker: 'NRAS', result: 'wild type' },
      { marker: 'MLH1', result: 'loss' },
      { marker: 'PMS2', result: 'loss' },
    ],
  );
});

test('a marker named without a result is not a mention', () => {
  assert.deepEqual(found('Send EGFR and ALK testing. PSA screening discussed.', 'biomarker'), []);
});

test('margins: status and closest distance', () => {
  assert.deepEqual(
    found(
      'Margins negative; closest margin 3 mm. DEEP MARGIN CLOSE (1.5 MM). Surgical margin positive at the apex.',
      'margin_status',
    ),
    [
      { text: 'Margins negative', value: { status: 'negative', mm: 3 } },
      { text: 'DEEP MARGIN CLOSE (1.5 MM)', value: { status: 'close', mm: 1.5 } },
      { text: 'Surgical margin positive', value: { status: 'positive' } },
    ],
  );
});

test('LVI absence is in the value', () => {
  assert.deepEqual(
    found('No lymphovascular invasion. Lymphovascular invasion: Present. LVSI: not identified. EMVI+', 'lvi'),
    [
      { text: 'lymphovascular invasion', value: { status: 'absent' } },
      { text: 'Lymphovascular invasion', value: { status: 'present' } },
      { text: 'LVSI', value: { status: 'absent' } },
      { text: 'EMVI+', value: { status: 'present' } },
    ],
  );
});

test('performance status, with an earlier score in parentheses', () => {
  assert.deepEqual(found('ECOG 2 (was 3 on admission). KPS 90.', 'performance_status'), [
    { text: 'ECOG 2', value: { scale: 'ECOG', score: 2 } },
    { text: '3', value: { scale: 'ECOG', score: 3 } },
    { text: 'KPS 90', value: { scale: 'KPS', score: 90 } },
  ]);
});

test('disease status terms; recurrence score and PFS are not', () => {
  assert.deepEqual(
    found(
      'NED. Biochemical recurrence. Partial metabolic response. Stable disease. Oncotype recurrence score 18; progression-free survival.',
      'disease_status',
    ),
    [
      { text: 'NED', value: { status: 'NED' } },
      { text: 'Biochemical recurrence', value: { status: 'recurrence' } },
      { text: 'Partial metabolic response', value: { status: 'partial response' } },
      { text: 'Stable disease', value: { status: 'stable' } },
    ],
  );
});

test('metastasis sites: one mention per listed site, site-less statements empty', () => {
  assert.deepEqual(found('SCLC with liver, adrenal and bone metastases. No distant metastases.', 'metastasis_site'), [
    { text: 'liver', value: { site: 'liver' } },
    { text: 'adrenal', value: { site: 'adrenal gland' } },
    { text: 'bone metastases', value: { site: 'bone' } },
    { text: 'distant metastases', value: {} },
  ]);
});

test('sites after "metastatic to" and "mets to" are metastasis sites, not primary sites', () => {
  const text = 'Widely metastatic to lung, liver and bone. Mets to brain. Metastasized to the adrenal.';
  assert.deepEqual(
    found(text, 'metastasis_site').map((m) => m.text),
    ['lung', 'liver', 'bone', 'brain', 'adrenal'],
  );
  assert.deepEqual(found(text, 'primary_site'), []);
});

test('a metastasis site is not also a primary site', () => {
  assert.deepEqual(found('Multiple liver metastases and pulmonary metastases.', 'primary_site'), []);
});
