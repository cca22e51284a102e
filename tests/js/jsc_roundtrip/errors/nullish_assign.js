// error: 2:3: logical assignment operators (&&=, ||=, ??=) are ES2021 and not supported
a ??= b;
