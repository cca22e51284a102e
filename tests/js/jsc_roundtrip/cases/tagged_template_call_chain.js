function t(s) { return () => s.raw[0] } console.log(t`x\n`(), (t)`y`());
