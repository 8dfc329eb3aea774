// Public surface of @casebook/rate-limit; filled in by its issue.
export {};
