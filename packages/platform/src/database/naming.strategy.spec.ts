import { SnakeNamingStrategy } from './naming.strategy';

describe('SnakeNamingStrategy', () => {
  const naming = new SnakeNamingStrategy();

  it('When TypeORM names tables, columns and constraints, then they follow the ADR convention', () => {
    expect(naming.tableName('ConversationMessage')).toBe('conversation_message');
    expect(naming.columnName('createdAt', undefined, [])).toBe('created_at');
    expect(naming.columnName('id', undefined, ['parentMessage'])).toBe('parent_message_id');
    expect(naming.primaryKeyName('messages')).toBe('pk_messages');
    expect(naming.foreignKeyName('messages', ['conversation_id'])).toBe('fk_messages_conversation_id');
    expect(naming.indexName('public.messages', ['user_id', 'created_at'])).toBe('ix_messages_user_id_created_at');
    expect(naming.uniqueConstraintName('users', ['email'])).toBe('uq_users_email');
  });
});
