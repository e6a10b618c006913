import { builder } from '../builder.ts';
import './errors.ts';
import './history.ts';
import './label.ts';
import './live.ts';
import './model.ts';
import './node.ts';
import './viewer.ts';
import './workspace.ts';

export const schema = builder.toSchema({ sortSchema: true });
