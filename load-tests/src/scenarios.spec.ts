import { readdir } from 'node:fs/promises';
import { listScenarios, loadScenario, SCENARIOS_DIR } from './scenario-loader';
import { validateScenario } from './validate-scenario';

describe('scenario files', () => {
  it('When every scenario file is loaded, then each is valid and named after its file', async () => {
    const names = await listScenarios();

    expect(names).toEqual(
      expect.arrayContaining(['health-chatbot-api', 'health-query-service', 'health-moderation-service']),
    );
    for (const name of names) {
      const scenario = await loadScenario(name);
      expect(scenario.name).toBe(name);
    }
  });

  it('When k6 picks a scenario by name, then index.js lists exactly the scenario files', async () => {
    const { scenarios } = (await import(`${SCENARIOS_DIR}/index.js`)) as { scenarios: Record<string, unknown> };
    const files = (await readdir(SCENARIOS_DIR)).filter((file) => file.endsWith('.js') && file !== 'index.js');

    expect(Object.keys(scenarios).sort()).toEqual(files.map((file) => file.replace(/\.js$/, '')).sort());
  });

  it('When a scenario is malformed, then the error lists every problem', () => {
    const attempt = (): unknown =>
      validateScenario(
        { name: '', service: 'x', baseUrl: 'nope', requests: [{ method: 'FETCH', path: 'x' }] },
        'bad.js',
      );

    expect(attempt).toThrow(/name must be a non-empty string/);
    expect(attempt).toThrow(/description must be a non-empty string/);
    expect(attempt).toThrow(/baseUrl must be a URL/);
    expect(attempt).toThrow(/requests\[0\]\.method is not an HTTP method/);
    expect(attempt).toThrow(/requests\[0\]\.path must start with \//);
    expect(attempt).toThrow(/arrival must be/);
    expect(attempt).toThrow(/thresholds must be an object/);
  });
});
