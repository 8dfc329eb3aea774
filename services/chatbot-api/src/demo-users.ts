/** The demo accounts of ARCHITECTURE §4; their password is CASEBOOK_DEMO_PASSWORD. */
export const DEMO_USERS = [
  { email: 'admin@casebook.dev', roles: ['admin'], region: null },
  { email: 'senior.emea@casebook.dev', roles: ['senior_analyst'], region: 'EMEA' },
  { email: 'analyst.emea@casebook.dev', roles: ['analyst'], region: 'EMEA' },
  { email: 'analyst.amer@casebook.dev', roles: ['analyst'], region: 'AMER' },
  { email: 'guest@casebook.dev', roles: ['guest'], region: null },
] as const;

export const DEMO_INSIGHTS = [
  { region: 'EMEA', title: 'EMEA electronics up 12% in Q1 2024', body: 'Driven by enterprise laptops in DACH.' },
  {
    region: 'EMEA',
    title: 'Returns in UK apparel doubled in March',
    body: 'Concentrated in two SKUs; supplier notified.',
  },
  {
    region: 'AMER',
    title: 'AMER SMB segment overtook enterprise',
    body: 'First quarter on record; margin 3 pts lower.',
  },
  { region: 'APAC', title: 'APAC grocery delivery flat year on year', body: 'Growth in Japan offset by Australia.' },
];
