import { InvalidArgumentError } from '../../keys/index.js';
import { UUID } from '../vocabulary.js';
import type { Answer, DocumentReference, InformationItem, ProvidedInformation } from '../../generated/enlace/v1/requests.js';
import { code, date, fail, line, list, LIMITS, text, textFor } from './validate-fields.js';
import { personsConcerned, victimDataBasis } from './validate-parts.js';

/**
 * The information the requesting state provides after a request for information. Unlike the
 * other forms, every problem is collected (the form shows them all at once); the first one
 * is the error thrown by `providedInformation`.
 */

function item(v: InformationItem, path: string): InformationItem {
  const topic = code('information_topics', v.topic, `${path}.topic`);
  return {
    topic,
    text: text(v.text, `${path}.text`, { required: true, max: LIMITS.facts }),
    topicDetails: textFor('information_topics', topic, `${path}.topic`, v.topicDetails, `${path}.topic_details`, LIMITS.line),
  };
}

function answer(v: Answer, path: string): Answer {
  if (v.question < 1 || v.question > 50) fail(`${path}.question`, 'must be the number of a question, 1 to 50');
  return { question: v.question, text: text(v.text, `${path}.text`, { required: true, max: LIMITS.facts }) };
}

function documentReference(v: DocumentReference, path: string, now: number): DocumentReference {
  const title = line(v.title, `${path}.title`, { required: true });
  const attachmentId = v.attachmentId.trim();
  if (attachmentId !== '' && !UUID.test(attachmentId)) fail(`${path}.attachment_id`, 'must be an attachment id (a lower-case UUID, as listed on the request)');
  return {
    title,
    reference: line(v.reference, `${path}.reference`, { max: LIMITS.reference }),
    date: date(v.date, `${path}.date`, now, { past: true }),
    attachmentId,
  };
}

/** Runs one check; its problem joins `problems` and `fallback` stands in for the value. */
function collect<T>(problems: InvalidArgumentError[], fallback: T, check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (!(e instanceof InvalidArgumentError)) throw e;
    problems.push(e);
    return fallback;
  }
}

/** Each element checked on its own, so one bad entry does not hide the next. */
function each<T>(problems: InvalidArgumentError[], items: readonly T[], path: string, max: number, check: (v: T, p: string) => T): T[] {
  collect(problems, [], () => list(items, path, max, (x) => x));
  return items.slice(0, max).flatMap((v, i) => {
    const n = problems.length;
    const out = collect(problems, v, () => check(v, `${path}[${i}]`));
    return problems.length === n ? [out] : [];
  });
}

export interface ProvidedCheck {
  value: ProvidedInformation;
  problems: InvalidArgumentError[];
}

/** All the problems of a ProvidedInformation at `path` ("response.provided_information"), and the checked value. */
export function checkProvidedInformation(v: ProvidedInformation, path: string, now: number): ProvidedCheck {
  const problems: InvalidArgumentError[] = [];
  const items = each(problems, v.items, `${path}.items`, 50, item);
  const answers = each(problems, v.answers, `${path}.answers`, 50, answer);
  answers.forEach((a, i) => {
    if (answers.findIndex((b) => b.question === a.question) !== i) problems.push(new InvalidArgumentError(`${path}.answers[${i}].question`, `repeats question ${a.question}`));
  });
  const persons = collect(problems, [], () => personsConcerned(v.persons, `${path}.persons`, now));
  const documentReferences = each(problems, v.documentReferences, `${path}.document_references`, 50, (d, p) => documentReference(d, p, now));
  if (v.items.length + v.answers.length + v.persons.length + v.documentReferences.length === 0) {
    problems.push(new InvalidArgumentError(`${path}.items`, 'must have at least one entry (or answers, persons or document_references)'));
  }
  const victims = v.persons.some((p) => p.role === 'victim');
  const basis = collect(problems, { consent: v.consent, legalGround: v.legalGround }, () => victimDataBasis(v.consent, v.legalGround, path, now, victims));
  const remarks = collect(problems, v.remarks, () => text(v.remarks, `${path}.remarks`));
  return { value: { items, answers, persons, documentReferences, ...basis, remarks }, problems };
}

/**
 * Checks provided information and returns it with trimmed text; throws the first problem.
 *
 * @example
 * providedInformation({ items: [{ topic: 'whereabouts', text: 'Rivera 1234, Montevideo', topicDetails: '' }], ... }, 'response.provided_information', now);
 */
export function providedInformation(v: ProvidedInformation, path: string, now: number): ProvidedInformation {
  const { value, problems } = checkProvidedInformation(v, path, now);
  if (problems[0]) throw problems[0];
  return value;
}
