;;; if (true); for (;false;); while (false); console.log("empty");
