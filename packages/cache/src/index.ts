// Public surface of @casebook/cache; filled in by its issue.
export {};
