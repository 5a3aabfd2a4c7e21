/**
 * The start form's redirect target carries the started run; the page it lands on announces it
 * through DescribeStart (operations/application/describe-start.query.ts).
 */
/** The page a start form returns to, told which run to announce. */
export function withStartFeedback(path: string, runId: string, created: boolean): string {
  const [base, query = ''] = path.split('?', 2);
  const params = new URLSearchParams(query);
  params.delete('started');
  params.delete('created');
  params.set('started', runId);
  params.set('created', created ? '1' : '0');
  return `${base}?${params.toString()}`;
}
