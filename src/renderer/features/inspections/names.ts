import { useUserNames } from '../../lib/userNames';

/** Display names of everyone in the branch (users.names); see useUserNames. */
export const useStaffNames = useUserNames;
