class Native
{
    void Take(Ptr p)
    {
        try { Use(p); }
        catch
        {
            p.Dispose();
            throw;
        }
        try { Use(p); }
        catch // want: AUR202
        {
            p.Dispose();
        }
    }
}
