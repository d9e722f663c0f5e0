// Mentions in words for people: the diagnostic message, hover title and summary all use these.
import type { Assertion, Mention, MentionValue, PhenotypeType } from '@cancerllm/protocol';

export const TYPE_LABELS: Record<PhenotypeType, string> = {
  primary_site: 'primary site',
  histology: 'histology',
  laterality: 'laterality',
  grade: 'grade',
  tnm: 'TNM',
  stage_group: 'stage',
  tumor_size: 'tumor size',
  lymph_nodes: 'lymph nodes',
  metastasis_site: 'metastasis',
  receptor_status: 'receptor',
  biomarker: 'biomarker',
  gleason: 'Gleason',
  margin_status: 'margins',
  lvi: 'lymphovascular invasion',
  performance_status: 'performance status',
  treatment: 'treatment',
  disease_status: 'disease status',
};

const ASSERTION_WORDS: Record<Exclude<Assertion, 'present'>, string> = {
  negated: 'negated',
  possible: 'possible',
  historical: 'historical',
  family: 'family history',
  hypothetical: 'hypothetical',
};

/** "TNM pT2 N1a M0", "ER positive 95%", "lymphovascular invasion — negated". */
export function describeMention(mention: Mention): string {
  const value = describeValue(mention.type, mention.value);
  const head = mention.type === 'receptor_status' || mention.type === 'biomarker' ? value : joinWords(TYPE_LABELS[mention.type], value);
  const label = head || TYPE_LABELS[mention.type];
  return mention.assertion === 'present' ? label : `${label} — ${ASSERTION_WORDS[mention.assertion]}`;
}

export function describeValue(type: PhenotypeType, value: MentionValue): string {
  const v = (key: string): string => (value[key] === undefined ? '' : String(value[key]));
  switch (type) {
    case 'tnm':
      return [v('prefix') + v('t'), v('n'), v('m')].filter(Boolean).join(' ');
    case 'tumor_size':
      return value.mm === undefined ? '' : `${v('mm')} mm`;
    case 'lymph_nodes':
      if (value.positive !== undefined && value.examined !== undefined) return `${v('positive')}/${v('examined')} positive`;
      if (value.positive !== undefined) return `${v('positive')} positive`;
      return value.examined === undefined ? '' : `${v('examined')} examined`;
    case 'receptor_status':
      return joinWords(v('receptor'), v('status'), value.percent === undefined ? '' : `${v('percent')}%`, value.ihc === undefined ? '' : `IHC ${v('ihc')}`, value.fish === undefined ? '' : `FISH ${v('fish')}`);
    case 'biomarker':
      return joinWords(v('marker'), v('result'), value.numeric === undefined ? '' : `${v('numeric')}${value.unit === '%' ? '%' : value.unit ? ` ${v('unit')}` : ''}`);
    case 'gleason':
      if (value.primary !== undefined && value.secondary !== undefined) {
        return joinWords(`${v('primary')}+${v('secondary')}${value.total === undefined ? '' : `=${v('total')}`}`, value.gradeGroup === undefined ? '' : `(grade group ${v('gradeGroup')})`);
      }
      return joinWords(v('total'), value.gradeGroup === undefined ? '' : `grade group ${v('gradeGroup')}`);
    case 'margin_status':
      return joinWords(v('status'), value.mm === undefined ? '' : `(${v('mm')} mm)`);
    case 'performance_status':
      return joinWords(v('scale'), v('score'));
    case 'treatment':
      return joinWords(v('name'), value.kind ? `(${v('kind')})` : '');
    default: {
      const first = Object.entries(value).find(([key]) => key !== 'icdo3');
      return first ? String(first[1]) : '';
    }
  }
}

function joinWords(...words: string[]): string {
  return words.filter(Boolean).join(' ');
}
