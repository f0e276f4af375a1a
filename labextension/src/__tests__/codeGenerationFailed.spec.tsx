/**
 * A completed run whose code failed to generate says so, with the reason, where "View
 * generated code" would be; other runs keep their buttons. Rendered to markup by React's
 * server renderer, which needs Node's TextEncoder (jsdom has none).
 *
 * @jest-environment node
 */
import type { TranslationBundle } from '@jupyterlab/translation';
import * as React from 'react';
import { renderToStaticMarkup } from 'react-dom/server';

import { IRun } from '../api';
import {
  CodeGenerationFailed,
  codeGenerationFailure
} from '../components/CodeGenerationFailed';

function run(overrides: Partial<IRun>): IRun {
  return {
    id: 'AutoML_0123456789abcdef_1',
    iteration: 1,
    algorithm: 'LightGBM',
    status: 'completed',
    primary_metric: { name: 'accuracy', value: 0.9, greater_is_better: true },
    metrics: { accuracy: 0.9 },
    fit_time: 1,
    score_time: 0.1,
    created_at: null,
    started_at: null,
    ended_at: null,
    has_code: false,
    code_generation: { status: 'stored', reason: null },
    error: null,
    ...overrides
  };
}

/** English, as JupyterLab's null translator gives it: ``%1`` replaced by the argument. */
const english = {
  __: (text: string, ...args: unknown[]) =>
    args.reduce<string>(
      (result, arg, index) => result.replace(`%${index + 1}`, String(arg)),
      text
    )
} as unknown as TranslationBundle;

describe('code generation failures', () => {
  it('gives the reason of a completed run whose code failed to generate', () => {
    const failed = run({
      code_generation: { status: 'failed', reason: 'column name has a NUL' }
    });
    expect(codeGenerationFailure(failed)).toBe('column name has a NUL');
  });

  it('leaves the buttons to runs with stored or on-demand code', () => {
    expect(codeGenerationFailure(run({}))).toBeNull();
    const onDemand = run({
      code_generation: { status: 'on_demand', reason: null }
    });
    expect(codeGenerationFailure(onDemand)).toBeNull();
    const failedTrial = run({
      status: 'failed',
      code_generation: { status: 'none', reason: null }
    });
    expect(codeGenerationFailure(failedTrial)).toBeNull();
  });

  it('shows the reason, whole in its tooltip', () => {
    const html = renderToStaticMarkup(
      <CodeGenerationFailed
        reason="literal() refuses nan <x>"
        trans={english}
      />
    );
    expect(html).toContain(
      'Code generation failed: literal() refuses nan &lt;x&gt;'
    );
    expect(html).toContain('title="literal() refuses nan &lt;x&gt;"');
    expect(html).toContain('role="note"');
  });
});
