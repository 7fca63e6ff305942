import type { Handlers } from '../../kernel/dispatch';
import { createUser, listUsers, resetPassword, setUserDisabled, updateUser, userNames } from './users';

export const usersHandlers: Handlers<'users.list' | 'users.names' | 'users.create' | 'users.update' | 'users.setDisabled' | 'users.resetPassword'> = {
  'users.list': (ctx) => listUsers(ctx),
  'users.names': (ctx) => userNames(ctx),
  'users.create': (ctx, input) => createUser(ctx, input),
  'users.update': (ctx, input) => updateUser(ctx, input),
  'users.setDisabled': (ctx, input) => setUserDisabled(ctx, input),
  'users.resetPassword': (ctx, input) => resetPassword(ctx, input),
};
