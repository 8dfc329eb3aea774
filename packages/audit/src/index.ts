// Public surface of @casebook/audit; filled in by its issue.
export {};
