// error: 2:12: Class constructor may not be an accessor, a generator or async
class A { *constructor() {} }
