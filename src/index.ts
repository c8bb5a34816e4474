import { createApp } from "./http/app";

export { ModelHealthObject } from "./storage/model-health-object";

export default createApp();
