import { NewAccountForm } from './new-account.form';

/** The invitation page's form: the invitee's name and password (twice). */
export class AcceptInvitationForm extends NewAccountForm {}
