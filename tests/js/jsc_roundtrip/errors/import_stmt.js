// error: 2:1: import/export (ES modules) are not supported: a task is a script; define a global main function
import x from "y";
