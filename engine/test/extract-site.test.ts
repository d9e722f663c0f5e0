import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractMentions } from '../src/extract/index.ts';
import { found } from './found.ts';

test('the organ word of a diagnosis phrase is the primary site, with its ICD-O-3 topography', () => {
  assert.deepEqual(found('Lung adenocarcinoma, stage IVA.', 'primary_site'), [
    { text: 'Lung', value: { site: 'lung', icdo3: 'C34.9' } },
  ]);
});

test('"breast cancer" keeps "cancer" in the span', () => {
  assert.deepEqual(found('Mother with breast cancer at 45.', 'primary_site'), [
    { text: 'breast cancer', value: { site: 'breast', icdo3: 'C50.9' } },
  ]);
});

test('a lung-lobe abbreviation is both a site and a laterality on the same span', () => {
  const text = 'PET/CT: FDG-avid LLL mass.';
  assert.deepEqual(found(text, 'primary_site'), [{ text: 'LLL', value: { site: 'lower lobe, lung', icdo3: 'C34.3' } }]);
  assert.deepEqual(found(text, 'laterality'), [{ text: 'LLL', value: { laterality: 'left' } }]);
});

test('subsites map to their own topography code', () => {
  assert.deepEqual(found('mass in the sigmoid colon; breast, upper outer quadrant', 'primary_site'), [
    { text: 'sigmoid colon', value: { site: 'sigmoid colon', icdo3: 'C18.7' } },
    { text: 'breast', value: { site: 'breast', icdo3: 'C50.9' } },
    { text: 'upper outer quadrant', value: { site: 'breast, upper outer quadrant', icdo3: 'C50.4' } },
  ]);
});

test('a misspelled site is still found', () => {
  assert.deepEqual(found('3.1 cm mass in the pancraetic head', 'primary_site'), [
    { text: 'pancraetic head', value: { site: 'head of pancreas', icdo3: 'C25.0' } },
  ]);
});

test('organ words naming a nodal region, a vessel or an imaging field are not primary sites', () => {
  assert.deepEqual(
    found('No cervical or supraclavicular adenopathy. Renal vein patent. MRI brain: no lesions.', 'primary_site'),
    [],
  );
});

test('laterality attaches to paired organs only', () => {
  assert.deepEqual(
    found('Left breast, lumpectomy. Left lateral wall of the bladder. BREAST, RIGHT, MASTECTOMY', 'laterality'),
    [
      { text: 'Left', value: { laterality: 'left' } },
      { text: 'RIGHT', value: { laterality: 'right' } },
    ],
  );
});

test('"both ovaries" and "ovary (bilateral)" are bilateral', () => {
  assert.deepEqual(found('HGSC involving both ovaries. Carcinoma of the ovary (bilateral).', 'laterality'), [
    { text: 'both', value: { laterality: 'bilateral' } },
    { text: 'bilateral', value: { laterality: 'bilateral' } },
  ]);
});

test('an organ its clause states free of tumour is not a primary site', () => {
  const sites = (text: string) =>
    extractMentions(text)
      .filter((m) => m.type === 'primary_site')
      .map((m) => m.text);
  assert.deepEqual(sites('- BILATERAL OVARIES AND FALLOPIAN TUBES: NO EVIDENCE OF MALIGNANCY.'), []);
  assert.deepEqual(sites('Uterus: leiomyoma; endometrium negative for malignancy.'), []);
  // Named with its tumour in the same clause, the organ stays a site.
  assert.deepEqual(sites('Left breast, lumpectomy: invasive ductal carcinoma, margins uninvolved.'), ['breast']);
});

test('an organ heading at a line start is a site when its clause names a tumour', () => {
  const sites = (text: string) =>
    extractMentions(text)
      .filter((m) => m.type === 'primary_site')
      .map((m) => m.text);
  assert.deepEqual(sites('FINDINGS:\nLiver: 2 cm lesion.\nProstate: adenocarcinoma, Gleason 3+4=7.'), ['Prostate']);
});
