/**
 * The rows of the Markdown tables in domain/rules/README.md by their first cell, for the tests that
 * keep the rule documentation and the rule rows in step. Not imported by the workflow.
 */
export function readmeRows(markdown: string): Map<string, string[]> {
  return new Map(
    markdown
      .split('\n')
      .filter((line) => line.startsWith('| ') && !line.startsWith('| ---'))
      .map((line) => line.split('|').slice(1, -1).map((cell) => cell.trim()))
      .map((cells) => [cells[0]!, cells] as const),
  );
}
